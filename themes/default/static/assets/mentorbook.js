/* mentorbook default theme: menu, light/dark toggle, print buttons.
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
  var choices = document.querySelectorAll("[data-audience-choice]");
  if (choices.length) {
    var apply = function (who) {
      if (who) { doc.setAttribute("data-audience-filter", who); } else { doc.removeAttribute("data-audience-filter"); }
      Array.prototype.forEach.call(choices, function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-audience-choice") === who ? "true" : "false");
      });
    };
    var saved = "";
    try { saved = localStorage.getItem("mb-audience") || ""; } catch (e) { /* private mode */ }
    apply(saved);
    Array.prototype.forEach.call(choices, function (b) {
      b.addEventListener("click", function () {
        var who = b.getAttribute("data-audience-choice");
        try { localStorage.setItem("mb-audience", who); } catch (e) { /* private mode */ }
        apply(who);
      });
    });
  }

  // Print buttons.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
