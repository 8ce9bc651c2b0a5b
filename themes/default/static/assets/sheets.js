/* mentorbook default theme: worksheets that keep what is typed into them.
   Answers are saved in this browser's local storage, for this page and language
   only (nothing is sent anywhere); they can be cleared, exported to a small JSON
   file and imported again (to swap sheets between mentor and mentee), and
   printed in place. Works from file:// (no fetch, no modules). */
(function () {
  "use strict";
  var tools = document.querySelector("[data-mb-sheet]");
  if (!tools) return;
  var form = tools.getAttribute("data-mb-sheet");
  var key = "mentorbook-sheet:" + tools.getAttribute("data-mb-sheet-key");
  var scope = document.querySelector("main") || document.body;
  var status = tools.querySelector("[data-sheet-status]");
  var MAX_IMPORT = 1024 * 1024;

  var controls = function () {
    return Array.prototype.filter.call(scope.querySelectorAll("input[name], textarea[name]"), function (el) {
      return el.tagName === "TEXTAREA" || el.type === "text" || el.type === "checkbox" || el.type === "radio";
    });
  };
  var say = function (text) { if (status) status.textContent = text || ""; };
  var text = function (name) { return tools.getAttribute("data-" + name) || ""; };

  // The answers of the page: text by name, `true` for a ticked box, the value of a chosen radio.
  var read = function () {
    var values = {};
    controls().forEach(function (el) {
      if (el.type === "checkbox") { if (el.checked) values[el.name] = true; }
      else if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
      else if (el.value !== "") { values[el.name] = el.value; }
    });
    return values;
  };
  var write = function (values) {
    controls().forEach(function (el) {
      var v = Object.prototype.hasOwnProperty.call(values, el.name) ? values[el.name] : undefined;
      if (el.type === "checkbox") el.checked = v === true;
      else if (el.type === "radio") el.checked = typeof v === "string" && v === el.value;
      else el.value = typeof v === "string" ? v : "";
    });
  };
  var document_of = function (values) {
    return {
      mentorbook: "sheet",
      version: 1,
      sheet: form,
      lang: document.documentElement.getAttribute("lang") || "",
      title: (document.querySelector("h1") || {}).textContent || "",
      saved: new Date().toISOString(),
      values: values
    };
  };
  var save = function () {
    var values = read();
    try {
      if (Object.keys(values).length) localStorage.setItem(key, JSON.stringify(document_of(values)));
      else localStorage.removeItem(key);
    } catch (e) { say(text("unsaved")); }
  };
  var load = function () {
    try {
      var saved = JSON.parse(localStorage.getItem(key) || "null");
      if (saved && saved.values && typeof saved.values === "object") {
        write(saved.values);
        say(text("restored"));
      }
    } catch (e) { /* private mode, or not ours */ }
  };

  scope.addEventListener("input", save);
  scope.addEventListener("change", save);
  window.addEventListener("pagehide", save);

  // The tools need this script: they stay hidden without it.
  Array.prototype.forEach.call(tools.querySelectorAll("[data-needs-script]"), function (el) { el.hidden = false; });

  var on = function (sel, fn) {
    var b = tools.querySelector(sel);
    if (b) b.addEventListener("click", fn);
  };
  on("[data-sheet-clear]", function () {
    if (!window.confirm(text("confirm-clear"))) return;
    write({});
    try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
    say(text("cleared"));
  });
  on("[data-sheet-blank]", function () {
    var values = read();
    write({});
    try { window.print(); } finally { write(values); }
  });
  on("[data-sheet-export]", function () {
    var json = JSON.stringify(document_of(read()), null, 2) + "\n";
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    a.download = form + ".json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
    say(text("exported"));
  });
  var file = tools.querySelector("[data-sheet-file]");
  on("[data-sheet-import]", function () { if (file) file.click(); });
  if (file) {
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      file.value = "";
      if (!f) return;
      if (f.size > MAX_IMPORT) { say(text("import-bad")); return; }
      var reader = new FileReader();
      reader.onload = function () {
        var got;
        try { got = JSON.parse(String(reader.result)); } catch (e) { got = null; }
        if (!got || got.mentorbook !== "sheet" || !got.values || typeof got.values !== "object") {
          say(text("import-bad"));
          return;
        }
        if (got.sheet !== form) { say(text("import-other").replace("{sheet}", String(got.sheet))); return; }
        write(got.values);
        save();
        say(text("imported"));
      };
      reader.onerror = function () { say(text("import-bad")); };
      reader.readAsText(f);
    });
  }
  load();
})();
