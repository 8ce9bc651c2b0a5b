// mentorbook serve: live reload. Injected into served pages only, never into `build` output.
// Every URL is relative to this script's own URL, so it works behind a proxy at any sub-path.
// A page whose main content alone changed swaps it in place (the server says so:
// `pages` in each message); what the reader typed, the focus and the scroll stay.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) { return; }
  var server = me.getAttribute("data-server");
  var version = Number(me.getAttribute("data-version"));
  var page = me.getAttribute("data-page");
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

  // The regions swapped in place; the server checked that nothing else changed.
  var REGIONS = ["#mb-main", "aside.toc"];

  function sameKind(a, b) {
    return a.nodeType === b.nodeType && (a.nodeType !== 1 || a.tagName === b.tagName);
  }

  function syncAttributes(old, fresh) {
    var i, a;
    for (i = old.attributes.length - 1; i >= 0; i--) {
      a = old.attributes[i];
      if (!fresh.hasAttribute(a.name)) { old.removeAttribute(a.name); }
    }
    for (i = 0; i < fresh.attributes.length; i++) {
      a = fresh.attributes[i];
      if (old.getAttribute(a.name) !== a.value) { old.setAttribute(a.name, a.value); }
    }
  }

  // Makes `old` (in the page) like `fresh` (parsed), keeping every element that
  // is still there: what was typed into fields, the focus and listeners stay.
  function morph(old, fresh) {
    if (old.nodeType !== 1) {
      if (old.nodeValue !== fresh.nodeValue) { old.nodeValue = fresh.nodeValue; }
      return;
    }
    syncAttributes(old, fresh);
    var byId = {};
    var kids = old.childNodes;
    for (var i = 0; i < kids.length; i++) {
      if (kids[i].nodeType === 1 && kids[i].id) { byId[kids[i].id] = kids[i]; }
    }
    // Ids the new children have: an old child with one of them waits for it.
    // (Ids made from source lines change when lines are added above.)
    var wanted = {};
    for (var k = fresh.firstChild; k; k = k.nextSibling) {
      if (k.nodeType === 1 && k.id) { wanted[k.id] = true; }
    }
    var used = [];
    var cursor = old.firstChild;
    var next = fresh.firstChild;
    while (next) {
      var after = next.nextSibling;
      var match = null;
      var keyed = next.nodeType === 1 && next.id ? byId[next.id] : null;
      if (keyed && keyed.tagName === next.tagName && used.indexOf(keyed) < 0) {
        match = keyed;
      } else if (cursor && sameKind(cursor, next) && used.indexOf(cursor) < 0 &&
          ((cursor.id || "") === (next.id || "") || !(cursor.id && wanted[cursor.id]))) {
        match = cursor;
      }
      if (match) {
        used.push(match);
        if (match === cursor) { cursor = cursor.nextSibling; } else { old.insertBefore(match, cursor); }
        morph(match, next);
      } else {
        old.insertBefore(document.importNode(next, true), cursor);
      }
      next = after;
    }
    while (cursor) {
      var gone = cursor;
      cursor = cursor.nextSibling;
      if (used.indexOf(gone) < 0) { old.removeChild(gone); }
    }
  }

  // What the reader typed, by field id (or name), in case a field was replaced.
  function fieldsOf(root) {
    var saved = {};
    var fields = root.querySelectorAll("input, textarea, select");
    Array.prototype.forEach.call(fields, function (f) {
      var id = f.id || f.name;
      if (!id) { return; }
      saved[id] = f.type === "checkbox" || f.type === "radio" ? { checked: f.checked } : { value: f.value };
    });
    return saved;
  }

  function refill(root, saved) {
    var fields = root.querySelectorAll("input, textarea, select");
    Array.prototype.forEach.call(fields, function (f) {
      var s = saved[f.id || f.name];
      if (!s) { return; }
      if ("checked" in s) { f.checked = s.checked; } else if (f.value !== s.value) { f.value = s.value; }
    });
  }

  // Fetches this page again and swaps its changed regions in; `false` when the
  // page cannot be swapped (then it reloads).
  function swapContent(done) {
    var url = new URL(location.href);
    url.hash = "";
    fetch(url.href, { cache: "no-store", credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("status " + r.status); }
      return r.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var pairs = REGIONS.map(function (css) {
        return [document.querySelector(css), doc.querySelector(css)];
      });
      var ok = pairs[0][0] && pairs[0][1] && pairs.every(function (p) { return !p[0] === !p[1]; }) &&
        !pairs[0][1].querySelector("script");
      if (!ok) { done(false); return; }
      var x = window.scrollX, y = window.scrollY;
      var focused = document.activeElement;
      var focusId = focused && focused.id;
      var range = focused && "selectionStart" in focused ?
        [focused.selectionStart, focused.selectionEnd] : null;
      var saved = fieldsOf(pairs[0][0]);
      pairs.forEach(function (p) { if (p[0]) { morph(p[0], p[1]); } });
      refill(pairs[0][0], saved);
      if (document.title !== doc.title) { document.title = doc.title; }
      if (focusId && document.activeElement !== focused) {
        var again = document.getElementById(focusId);
        if (again && again.focus) {
          again.focus({ preventScroll: true });
          if (range) { try { again.setSelectionRange(range[0], range[1]); } catch (e) { /* not a text field */ } }
        }
      }
      if (window.scrollX !== x || window.scrollY !== y) { window.scrollTo(x, y); }
      document.dispatchEvent(new CustomEvent("mentorbook:swapped"));
      done(true);
    }).catch(function () { done(false); });
  }

  // One message at a time: one arriving during a swap waits for it to end.
  var busy = false;
  var waiting = null;

  function handle(m) {
    if (m.server !== server) { reload(); return; }
    if (m.version <= version) { return; }
    if (m.full > version) { reload(); return; }
    var mine = page && m.pages ? m.pages[page] : null;
    if (mine && mine[1] > version) { reload(); return; }
    if (m.css > version) { swapStylesheets(m.version); }
    if (!mine || mine[0] <= version) { version = m.version; return; }
    busy = true;
    swapContent(function (ok) {
      if (!ok) { reload(); return; }
      version = m.version;
      busy = false;
      if (waiting) { var w = waiting; waiting = null; handle(w); }
    });
  }

  function onMessage(e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (busy) { waiting = m; return; }
    handle(m);
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
