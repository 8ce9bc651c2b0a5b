/* mentorbook default theme: menu, light/dark toggle, audience filter, the on-page
   contents that follows the reader, print buttons.
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

  // Menu on small screens.
  var menuBtn = document.querySelector(".menu-toggle");
  var sidebar = document.getElementById("mb-sidebar");
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
