// mentorbook serve: live reload. Injected into served pages only, never into `build` output.
// Every URL is relative to this script's own URL, so it works behind a proxy at any sub-path.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) { return; }
  var server = me.getAttribute("data-server");
  var version = Number(me.getAttribute("data-version"));
  var key = "mentorbook-scroll:" + location.pathname;

  function restoreScroll() {
    var saved = null;
    try { saved = sessionStorage.getItem(key); } catch (e) { return; }
    if (!saved) { return; }
    var xy = saved.split(",");
    var go = function () { window.scrollTo(Number(xy[0]) || 0, Number(xy[1]) || 0); };
    go();
    window.addEventListener("load", function () {
      go();
      try { sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
    });
  }

  function reload() {
    try { sessionStorage.setItem(key, window.scrollX + "," + window.scrollY); } catch (e) { /* private mode */ }
    location.reload();
  }

  function swapStylesheets(v) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (old) {
      var url = new URL(old.href, location.href);
      if (url.origin !== location.origin) { return; }
      url.searchParams.set("mentorbook", String(v));
      var fresh = old.cloneNode(false);
      fresh.href = url.href;
      var done = function () { if (old.parentNode) { old.parentNode.removeChild(old); } };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      old.parentNode.insertBefore(fresh, old.nextSibling);
    });
  }

  function onMessage(e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (m.server !== server) { reload(); return; }
    if (m.version === version) { return; }
    if (m.full > version) { reload(); return; }
    swapStylesheets(m.version);
    version = m.version;
  }

  // Only visible tabs keep a connection: browsers allow about six per server, and
  // a hidden tab catches up when shown again (the first message is the current state).
  var events = null;
  function connect() {
    if (events || document.visibilityState === "hidden") { return; }
    events = new EventSource(new URL("events", me.src).href);
    events.onmessage = onMessage;
  }
  function disconnect() {
    if (events) { events.close(); events = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { disconnect(); } else { connect(); }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", connect);
  restoreScroll();
  connect();
})();
