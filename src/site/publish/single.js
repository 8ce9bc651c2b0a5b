/* mentorbook single-file handbook: shows one page of the bundle for the URL's
   hash (#/guide/posture.html#ecoute). Pages are parsed inert (in a <template>)
   and their relative links and images are turned into routes and data: URLs
   before they are shown, so nothing is ever fetched. */
(function () {
  "use strict";
  var holder = document.getElementById("mb-bundle");
  var main = document.getElementById("mb-main") || document.querySelector("main");
  if (!holder || !main) return;
  var B;
  try { B = JSON.parse(holder.textContent); } catch (e) { return; }
  var BASE = "https://mentorbook.invalid/";
  var current = null;

  function route(path, frag) { return "#/" + path + (frag ? "#" + frag : ""); }

  // The output path and fragment a URL written in the page at `from` leads to.
  function target(from, url) {
    try {
      var u = new URL(url, BASE + from);
      if (u.origin + "/" !== BASE) return null;
      var frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : "";
      var path = decodeURIComponent(u.pathname.slice(1));
      if (path === "" || /\/$/.test(path)) path += "index.html";
      return { path: path, frag: frag };
    } catch (e) { return null; }
  }

  function otherLanguage(path) {
    for (var prefix in B.langs) {
      if (prefix && path.indexOf(prefix) === 0) return B.langs[prefix];
    }
    return null;
  }

  // Rewrites the links and sources of `root`, written in the page at `from`.
  function fix(root, from) {
    var els = root.querySelectorAll("[href], [src]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var name = el.hasAttribute("href") ? "href" : "src";
      var v = el.getAttribute(name);
      if (!v || v.indexOf("#/") === 0 || /^[a-z][a-z0-9+.\-]*:/i.test(v) || v.indexOf("//") === 0) continue;
      if (v.charAt(0) === "#") {
        // A fragment of the shell itself (the skip link) stays as it is.
        if (root === document && document.getElementById(decodeURIComponent(v.slice(1)))) continue;
        el.setAttribute(name, route(from, decodeURIComponent(v.slice(1))));
        continue;
      }
      var t = target(from, v);
      if (!t) continue;
      if (B.pages[t.path]) {
        el.setAttribute(name, route(t.path, t.frag));
      } else if (B.files[t.path]) {
        el.setAttribute(name, B.files[t.path]);
        if (name === "href" && el.tagName === "A" && !el.hasAttribute("download")) {
          el.setAttribute("download", t.path.split("/").pop());
        }
      } else {
        var file = otherLanguage(t.path);
        if (file) el.setAttribute(name, file + route(t.path, t.frag));
        else el.removeAttribute(name);
      }
    }
  }

  function fragment(html, from) {
    var t = document.createElement("template");
    t.innerHTML = html;
    fix(t.content, from);
    return t.content;
  }

  function markCurrent(path) {
    var links = document.querySelectorAll("#mb-sidebar a[href]");
    var want = route(path, "");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("href") === want) links[i].setAttribute("aria-current", "page");
      else links[i].removeAttribute("aria-current");
    }
  }

  function show(path, frag) {
    if (!B.pages[path]) path = B.home;
    var page = B.pages[path];
    if (path !== current) {
      current = path;
      main.replaceChildren(fragment(page.m, path));
      var old = document.querySelector(".layout > aside");
      if (old) old.remove();
      if (page.a) main.after(fragment(page.a, path));
      document.title = page.t;
      var theme = (document.body.className.match(/theme-\S+/) || [""])[0];
      document.body.className = page.c.indexOf("theme-") >= 0 ? page.c : (theme + " " + page.c).trim();
      markCurrent(path);
    }
    var el = frag && document.getElementById(frag);
    if (el && el.scrollIntoView) el.scrollIntoView();
    else window.scrollTo(0, 0);
  }

  function fromHash() {
    var h = location.hash;
    if (h.indexOf("#/") !== 0) {
      // An old-style fragment (#ecoute) is a fragment of the current page.
      show(current || B.home, h ? decodeURIComponent(h.slice(1)) : "");
      return;
    }
    var rest = h.slice(2);
    var at = rest.indexOf("#");
    var path = at >= 0 ? rest.slice(0, at) : rest;
    var frag = at >= 0 ? rest.slice(at + 1) : "";
    try { path = decodeURIComponent(path); frag = decodeURIComponent(frag); } catch (e) { /* as written */ }
    show(path, frag);
  }

  // Links of the shell (header, sidebar, footer) were written in the home page.
  fix(document, B.home);
  window.addEventListener("hashchange", fromHash);
  // Print buttons of the page shown (those of the shell were bound by the theme).
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("main [data-print]");
    if (b) { e.preventDefault(); window.print(); }
  });
  fromHash();
  // For tools and tests: the pages held, and how to show one.
  window.mentorbookSingle = { pages: Object.keys(B.pages), show: show, current: function () { return current; } };
})();
