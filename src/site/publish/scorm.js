/* mentorbook SCORM 1.2 launcher: shows the handbook in a frame, finds the
   learning platform's API in a parent window, records progress, and sets the
   lesson status to "completed" on opening or when the frame reaches the last
   page (data-completion). Without a platform it only shows the handbook. */
(function () {
  "use strict";
  var me = document.currentScript;
  var frame = document.getElementById("mb-sco");
  if (!me || !frame) return;
  function findAPI(win) {
    for (var n = 0; win && n < 12; n++) {
      try { if (win.API) return win.API; } catch (e) { return null; }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = (window.parent !== window && findAPI(window.parent)) || (window.opener && findAPI(window.opener)) || null;
  if (!api) return;
  if (String(api.LMSInitialize("")) !== "true") return;
  var done = false;
  function complete() {
    if (done) return;
    done = true;
    api.LMSSetValue("cmi.core.lesson_status", "completed");
    api.LMSCommit("");
  }
  if (me.getAttribute("data-completion") === "open") {
    complete();
  } else {
    var status = String(api.LMSGetValue("cmi.core.lesson_status") || "");
    if (status === "" || status === "not attempted") {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      api.LMSCommit("");
    } else if (status === "completed" || status === "passed") {
      done = true;
    }
    var last = new URL(me.getAttribute("data-last") || "", location.href).href;
    frame.addEventListener("load", function () {
      var here;
      try { here = frame.contentWindow.location.href.split("#")[0]; } catch (e) { return; }
      if (here === last) complete();
    });
  }
  var finished = false;
  function finish() {
    if (finished) return;
    finished = true;
    api.LMSFinish("");
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  window.mentorbookScorm = { finish: finish };
})();
