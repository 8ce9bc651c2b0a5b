/* mentorbook default theme: the sidebar from the language's nav.js, menu, light/dark
   toggle, audience filter, the on-page contents that follows the reader, print buttons.
   Works from file:// (no fetch, no modules). */
(function () {
  "use strict";
  var doc = document.documentElement;

  // Light/dark toggle: remembers the choice; follows the system until then.
  var modeBtn = document.querySelector(".mode-toggle");
  if (modeBtn) {
    var current = function () {
      var set = doc.getAttribute("data-mode");
      if (set) return set;
      return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    };
    var sync = function () { modeBtn.setAttribute("aria-pressed", current() === "dark" ? "true" : "false"); };
    sync();
    modeBtn.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      doc.setAttribute("data-mode", next);
      try { localStorage.setItem("mb-mode", next); } catch (e) { /* private mode */ }
      sync();
    });
  }

  var sidebar = document.getElementById("mb-sidebar");

  // Navigation: the page carries a short list (its section, and the way to it) that
  // works without script; the whole tree comes once per language from nav.js
  // (window.MB_NAV). A list marked data-mb-nav is filled from it: the current page
  // marked (aria-current="page"), the sections leading to it open; on a large
  // handbook the other sections open on demand, with their button.
  var N = window.MB_NAV;
  var navList = sidebar && sidebar.querySelector("[data-mb-nav]");
  if (N && N.v === 1 && N.tree && navList) (function () {
    var navRoot = (document.body && document.body.getAttribute("data-root")) || "";
    var navUi = N.ui || {};
    // The current page, as a path from the output root (null when unknown).
    var here = (function () {
      var cur = navList.querySelector('a[aria-current="page"]');
      if (!cur) return null;
      var clean = function (u) { u = u.split("#")[0].split("?")[0]; try { return decodeURIComponent(u); } catch (e) { return u; } };
      var base = document.createElement("a");
      base.href = navRoot || "./";
      var rootAbs = clean(base.href), abs = clean(cur.href);
      return abs.indexOf(rootAbs) === 0 ? abs.slice(rootAbs.length) : null;
    })();
    var full = function (dir, u) { return u.charAt(0) === "/" ? u.slice(1) : dir + u; };
    var folder = function (u) { var i = u.lastIndexOf("/"); return i < 0 ? "" : u.slice(0, i + 1); };
    var langDir = folder(N.home || "");
    // The entries leading to the current page, so they are shown open.
    var path = [];
    var found = here && (here === N.home || (function find(items, dir, trail) {
      for (var i = 0; i < items.length; i++) {
        var e = items[i], url = full(dir, e[1]);
        if (url === here) { path = trail.concat([e]); return true; }
        if (e[4] && find(e[4], folder(url), trail.concat([e]))) return true;
      }
      return false;
    })(N.tree, langDir, []));
    // A page deeper than the tree keeps its own list: its section's entries.
    if (here && !found) return;
    var link = function (url, text) {
      var a = document.createElement("a");
      a.setAttribute("href", navRoot + url);
      a.textContent = text;
      if (url === here) a.setAttribute("aria-current", "page");
      return a;
    };
    var list = function (items, dir, into) {
      for (var i = 0; i < items.length; i++) into.appendChild(entry(items[i], dir));
      return into;
    };
    var entry = function (e, dir) {
      var li = document.createElement("li"), url = full(dir, e[1]), flags = e[2] || 0;
      if (flags & 1) li.className = "nav-section";
      else if (flags & 2) li.className = "nav-worksheet";
      if (e[3]) li.setAttribute("data-audience", e[3]);
      var a = link(url, e[0]);
      if (flags & 2) {
        var sr = document.createElement("span");
        sr.className = "sr-only";
        sr.textContent = " (" + (navUi.worksheet || "worksheet") + ")";
        a.appendChild(sr);
      }
      li.appendChild(a);
      var kids = e[4];
      if (!kids || !kids.length) return li;
      var open = N.open || path.indexOf(e) >= 0;
      if (open && N.open) { li.appendChild(list(kids, folder(url), document.createElement("ul"))); return li; }
      // A section that can close: its button shows or hides its entries, made when first shown.
      li.className += " nav-closable";
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "nav-toggle";
      btn.setAttribute("aria-label", (navUi.nav_toggle || "{title}").replace("{title}", e[0]));
      var sub = null;
      var show = function (on) {
        if (on && !sub) { sub = list(kids, folder(url), document.createElement("ul")); li.appendChild(sub); }
        if (sub) sub.hidden = !on;
        btn.setAttribute("aria-expanded", on ? "true" : "false");
      };
      btn.addEventListener("click", function () { show(btn.getAttribute("aria-expanded") !== "true"); });
      li.insertBefore(btn, a.nextSibling);
      show(open);
      return li;
    };
    var items = document.createDocumentFragment();
    items.appendChild(document.createElement("li")).appendChild(link(N.home, navUi.home || "Home"));
    list(N.tree, langDir, items);
    navList.replaceChildren(items);
  })();

  // Menu on small screens.
  var menuBtn = document.querySelector(".menu-toggle");
  if (menuBtn && sidebar) {
    var setOpen = function (open) {
      sidebar.classList.toggle("open", open);
      menuBtn.setAttribute("aria-expanded", open ? "true" : "false");
    };
    menuBtn.addEventListener("click", function () { setOpen(!sidebar.classList.contains("open")); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebar.classList.contains("open")) { setOpen(false); menuBtn.focus(); }
    });
    var active = sidebar.querySelector('[aria-current="page"]');
    if (active && active.scrollIntoView) { active.scrollIntoView({ block: "center" }); window.scrollTo(0, 0); }
  }

  // Audience filter: show only what is for mentors, mentees or programme leads.
  var select = document.querySelector("[data-audience-select]");
  if (select) {
    var apply = function (who) {
      if (who) { doc.setAttribute("data-audience-filter", who); } else { doc.removeAttribute("data-audience-filter"); }
      select.value = who;
    };
    var saved = "";
    try { saved = localStorage.getItem("mb-audience") || ""; } catch (e) { /* private mode */ }
    if (!select.querySelector('option[value="' + saved + '"]')) saved = "";
    apply(saved);
    select.addEventListener("change", function () {
      try { localStorage.setItem("mb-audience", select.value); } catch (e) { /* private mode */ }
      apply(select.value);
    });
  }

  // On-page contents: the entry of the section being read is marked (aria-current).
  var toc = document.querySelector(".toc");
  if (toc) {
    var entries = [];
    Array.prototype.forEach.call(toc.querySelectorAll('a[href^="#"]'), function (a) {
      var target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (target) entries.push([target, a]);
    });
    var current = null, pending = false;
    var mark = function () {
      pending = false;
      // The last heading above the reading line (just under the sticky header).
      var line = Math.min(window.innerHeight * 0.3, 140);
      var found = entries.length ? entries[0][1] : null;
      for (var i = 0; i < entries.length; i++) {
        if (entries[i][0].getBoundingClientRect().top <= line) found = entries[i][1]; else break;
      }
      // At the very bottom, the last heading is the one being read.
      if (entries.length && window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
        found = entries[entries.length - 1][1];
      }
      if (found === current) return;
      if (current) current.removeAttribute("aria-current");
      current = found;
      if (current) current.setAttribute("aria-current", "true");
    };
    var later = function () { if (!pending) { pending = true; window.requestAnimationFrame(mark); } };
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    window.addEventListener("hashchange", later);
    mark();
  }

  // Print buttons.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
