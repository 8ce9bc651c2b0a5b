/* mentorbook search: offline, French-aware, works from file://.
 *
 * The index (search-index.js at the site root and, for a big handbook, its
 * other parts search-index-1.js…, format documented in src/search/index.rs) is
 * injected as <script>s on first use, so pages stay
 * light and no fetch is needed. Words are normalised exactly as at build time:
 * fold with the index's table, split, drop stop words, stem with the index's
 * rules (the loops below mirror src/search/tokenize.rs and stem.rs).
 * Results are built with createElement/textContent only: text from the content
 * is never parsed as HTML.
 */
(function () {
  "use strict";

  var MAX_WORD = 32;
  var MAX_SHOWN = 20;
  var MAX_PREFIX_FORMS = 200;
  var SNIPPET_BEFORE = 50;
  var SNIPPET_LENGTH = 180;
  // Score of a match by kind, and by where the word is (bits 4 title, 2 heading, 1 text).
  var EXACT = 1, STEM = 0.7, PREFIX = 0.45;
  var IN_TITLE = 6, IN_HEADING = 3, IN_TEXT = 1;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  // ---- Normalisation (must match src/search/tokenize.rs and stem.rs) ----

  function isAsciiAlnum(cp) {
    return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  }

  function cutWord(part) {
    if (part.length <= MAX_WORD) return part;
    var chars = Array.from(part);
    return chars.length > MAX_WORD ? chars.slice(0, MAX_WORD).join("") : part;
  }

  function keepWord(part) {
    var n = 0;
    for (var ch of part) { n++; if (n > 1) return true; }
    return n === 1 && /^[0-9]$/.test(part);
  }

  // Calls emit(word, start, end) for each word; start/end are offsets in `text`
  // of the characters the word came from.
  function eachWord(text, fold, emit) {
    var buf = "", plain = true, start = -1, i = 0;
    function flush(end) {
      if (buf) {
        var parts = [buf];
        if (!plain) {
          parts = [];
          var cur = "";
          for (var x of buf) {
            if (ALNUM.test(x)) cur += x; else { parts.push(cur); cur = ""; }
          }
          parts.push(cur);
        }
        for (var k = 0; k < parts.length; k++) {
          var w = cutWord(parts[k]);
          if (keepWord(w)) emit(w, start, end);
        }
      }
      buf = ""; plain = true; start = -1;
    }
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      if (cp < 128) {
        if (isAsciiAlnum(cp)) { if (start < 0) start = i; buf += ch.toLowerCase(); } else flush(i);
      } else {
        var r = fold.get(ch);
        if (r !== undefined) {
          if (start < 0) start = i;
          for (var y of r) { if (!isAsciiAlnum(y.codePointAt(0))) plain = false; }
          buf += r;
        } else if (ALNUM.test(ch)) {
          if (start < 0) start = i;
          var low = ch.toLowerCase();
          for (var z of low) { if (!ALNUM.test(z)) plain = false; }
          buf += low;
        } else flush(i);
      }
      i += ch.length;
    }
    flush(i);
  }

  function words(text, fold) {
    var out = [];
    eachWord(text, fold, function (w) { out.push(w); });
    return out;
  }

  function stem(word, steps) {
    if (!/^[a-z]*$/.test(word)) return word;
    for (var s = 0; s < steps.length; s++) {
      var rules = steps[s];
      for (var r = 0; r < rules.length; r++) {
        var suffix = rules[r][0], repl = rules[r][1], min = rules[r][2];
        if (word.length >= suffix.length + min && word.endsWith(suffix)) {
          word = word.slice(0, word.length - suffix.length) + repl;
          break;
        }
      }
    }
    return word;
  }

  function readVlq(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = VLQ.indexOf(s[i]);
      if (d < 0) continue;
      v += (d & 31) * Math.pow(2, shift);
      if (d & 32) shift += 5; else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  // ---- The index, prepared for queries ----

  // The index arrives in parts (search-index.js, then search-index-1.js…), each
  // numbering its own pages and chunks; they are read as one index: pages and
  // chunks follow each other, and a form's postings are those of every part it
  // is in, each moved by the chunks of the parts before it (decoded on first use).
  function prepare(raw, parts) {
    var fold = new Map();
    var chars = Array.from(raw.fold[0]);
    for (var i = 0; i < chars.length; i++) fold.set(chars[i], raw.fold[1][i]);
    var all = [raw].concat(parts);
    var pages = [], text = [];
    var chunkPage = [], chunkAnchor = [], chunkHeading = [];
    var byCode = new Map();
    var base = 0;
    all.forEach(function (part) {
      var firstPage = pages.length;
      part.pages.forEach(function (p, i) {
        var pi = firstPage + i;
        pages.push(p);
        chunkPage.push(pi); chunkAnchor.push(""); chunkHeading.push("");
        p[3].forEach(function (c) { chunkPage.push(pi); chunkAnchor.push(c[0]); chunkHeading.push(c[1]); });
      });
      part.text.forEach(function (t) { text.push(t); });
      Object.keys(part.langs).forEach(function (code) {
        var l = part.langs[code], m = byCode.get(code);
        if (!m) { m = { stop: l.stop, steps: l.steps, forms: new Map() }; byCode.set(code, m); }
        var sid = readVlq(l.sid);
        l.forms.forEach(function (f, fi) {
          var e = m.forms.get(f);
          if (!e) { e = { stem: l.stems[sid[fi]], refs: [] }; m.forms.set(f, e); }
          e.refs.push(l.post[fi], base);
        });
      });
      base = chunkPage.length;
    });
    var langs = Array.from(byCode.keys()).sort().map(function (code) {
      var m = byCode.get(code);
      var forms = Array.from(m.forms.keys()).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
      var formIndex = new Map(), stemIndex = new Map(), stemForms = [], refs = [];
      forms.forEach(function (f, fi) {
        var e = m.forms.get(f);
        formIndex.set(f, fi);
        refs.push(e.refs);
        var si = stemIndex.get(e.stem);
        if (si === undefined) { si = stemForms.length; stemIndex.set(e.stem, si); stemForms.push([]); }
        stemForms[si].push(fi);
      });
      return {
        code: code, stop: new Set(m.stop), steps: m.steps, forms: forms, refs: refs,
        formIndex: formIndex, stemIndex: stemIndex, stemForms: stemForms, decoded: new Map()
      };
    });
    return {
      fold: fold, pages: pages, text: text, langs: langs,
      chunkPage: chunkPage, chunkAnchor: chunkAnchor, chunkHeading: chunkHeading
    };
  }

  function postings(lang, fi) {
    var p = lang.decoded.get(fi);
    if (!p) {
      var refs = lang.refs[fi];
      p = [];
      for (var r = 0; r < refs.length; r += 2) {
        var vals = readVlq(refs[r]), chunk = refs[r + 1];
        for (var i = 0; i < vals.length; i++) {
          chunk += Math.floor(vals[i] / 8);
          p.push(chunk, vals[i] % 8);
        }
      }
      lang.decoded.set(fi, p);
    }
    return p;
  }

  // Forms matching one query word: Map form index → match weight.
  function matchForms(lang, word, isLast) {
    var found = new Map();
    var exact = lang.formIndex.get(word);
    if (exact !== undefined) found.set(exact, EXACT);
    var si = lang.stemIndex.get(stem(word, lang.steps));
    if (si !== undefined) {
      lang.stemForms[si].forEach(function (fi) { if (!found.has(fi)) found.set(fi, STEM); });
    }
    if (isLast || found.size === 0) {
      var forms = lang.forms, lo = 0, hi = forms.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (forms[mid] < word) lo = mid + 1; else hi = mid; }
      for (var n = 0; lo < forms.length && n < MAX_PREFIX_FORMS && forms[lo].startsWith(word); lo++, n++) {
        if (!found.has(lo)) found.set(lo, PREFIX);
      }
    }
    return found;
  }

  // The best place of a match: 3 the page title, 2 a heading, 1 the text.
  function tier(bits) {
    return bits & 4 ? 3 : bits & 2 ? 2 : 1;
  }

  function fieldWeight(bits) {
    return (bits & 4 ? IN_TITLE : 0) + (bits & 2 ? IN_HEADING : 0) + (bits & 1 ? IN_TEXT : 0);
  }

  // Runs a query; returns {hits: [{page, chunk, where, score}], matched: Set of forms}.
  // Pages matching every word come first; when none does, pages matching the
  // most words are shown. They are ranked by where the words are (`where` adds,
  // for each word, 3 when some form of it is in the page title, 2 in a heading,
  // 1 in the text), then by score: for each word its best match in the page.
  // The result links to the page's chunk that scores best.
  function run(idx, query) {
    var complete = /\s$/.test(query);
    var qwords = words(query, idx.fold);
    var nChunks = idx.chunkPage.length;
    var pages = new Map(), matched = new Set(), most = 0;
    idx.langs.forEach(function (lang) {
      var terms = qwords.filter(function (w) { return !lang.stop.has(w); });
      if (terms.length === 0) terms = qwords;
      terms.forEach(function (w, wi) {
        var isLast = !complete && wi === terms.length - 1 && w === qwords[qwords.length - 1];
        var scores = new Map(), tiers = new Map();
        matchForms(lang, w, isLast).forEach(function (weight, fi) {
          matched.add(lang.forms[fi]);
          var p = postings(lang, fi);
          var idf = Math.log(1 + nChunks / (p.length / 2));
          for (var i = 0; i < p.length; i += 2) {
            var s = weight * fieldWeight(p[i + 1]) * idf;
            if (!(scores.get(p[i]) >= s)) scores.set(p[i], s);
            var t = tier(p[i + 1]);
            if (!(tiers.get(p[i]) >= t)) tiers.set(p[i], t);
          }
        });
        scores.forEach(function (s, c) {
          var pi = idx.chunkPage[c], hit = pages.get(pi);
          if (!hit) { hit = { page: pi, terms: terms.length, words: new Map(), tiers: new Map(), chunks: new Map() }; pages.set(pi, hit); }
          if (!(hit.words.get(wi) >= s)) hit.words.set(wi, s);
          if (!(hit.tiers.get(wi) >= tiers.get(c))) hit.tiers.set(wi, tiers.get(c));
          hit.chunks.set(c, (hit.chunks.get(c) || 0) + s);
        });
      });
    });
    var hits = [];
    pages.forEach(function (h) { most = Math.max(most, h.words.size / h.terms); });
    pages.forEach(function (h) {
      if (h.words.size / h.terms < most) return;
      var score = 0, chunk = -1, best = -1, rest = 0, where = 0;
      h.words.forEach(function (s) { score += s; });
      h.tiers.forEach(function (t) { where += t; });
      h.chunks.forEach(function (s, c) {
        if (s > best || (s === best && c < chunk)) { if (best > 0) rest += best; best = s; chunk = c; } else rest += s;
      });
      hits.push({ page: h.page, chunk: chunk, where: where, score: (score + 0.1 * rest) * h.words.size / h.terms });
    });
    // Where the words are decides first (any form of a word in a title beats a
    // heading, which beats the text), then how well and how often they match.
    hits.sort(function (a, b) { return b.where - a.where || b.score - a.score || a.page - b.page; });
    return { hits: hits, matched: matched };
  }

  // ---- Building results (createElement and text nodes only) ----

  function highlighted(text, fold, matched, parent) {
    var marks = [];
    eachWord(text, fold, function (w, s, e) {
      var last = marks[marks.length - 1];
      if (matched.has(w) && !(last && last[0] === s)) marks.push([s, e]);
    });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] > pos) parent.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      pos = m[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
    return marks.length;
  }

  function snippetText(text, fold, matched) {
    var first = -1;
    eachWord(text, fold, function (w, s) { if (first < 0 && matched.has(w)) first = s; });
    if (text.length <= SNIPPET_LENGTH) return text;
    var start = Math.max(0, first - SNIPPET_BEFORE);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < first) start = sp + 1; }
    var end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); if (sp2 > start) end = sp2; }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  // ---- The search box ----

  var input = document.getElementById("mb-search-input");
  var box = document.getElementById("mb-search-results");
  if (!input || !box) return;
  var holder = input.closest(".search") || box;
  var root = (document.body && document.body.dataset.root) || "";
  if (root === "") root = "./";
  var pageLang = document.documentElement.lang || "en";
  var fr = /^fr/i.test(pageLang);
  // A UI string: the box's data-<name> attribute, else the language's nav.js
  // (MB_NAV.ui.search_<name>), else English.
  var loaded = (window.MB_NAV && window.MB_NAV.ui) || {};
  function shared(name) { return loaded["search_" + name.replace(/-/g, "_")]; }
  function ui(name, fallback) {
    var s = shared(name);
    return holder.getAttribute("data-" + name) || (typeof s === "string" ? s : "") || fallback;
  }
  var plurals = null;
  try { plurals = new Intl.PluralRules(pageLang); } catch (e) { plurals = null; }
  // A counted UI string (data-count-one, data-count-other…) for n, with the page
  // language's plural rules.
  function counted(name, n, fallback) {
    var cat = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    var forms = shared(name) || {};
    var form = holder.getAttribute("data-" + name + "-" + cat) || holder.getAttribute("data-" + name + "-other") ||
      forms[cat] || forms.other || fallback;
    return form.replace("{n}", String(n));
  }

  var state = "idle", idx = null, links = [], active = -1, showAll = false, shownFor = null, more = null;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");

  // Injects the script at `src`; `then(ok)` once it ran or failed.
  function inject(src, then) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = function () { then(true); };
    s.onerror = function () { then(false); };
    document.head.appendChild(s);
  }

  function load() {
    if (state !== "idle") return;
    state = "loading";
    var file = root + ui("index", "search-index.js");
    var done = function (ok) {
      if (state !== "loading") return;
      state = "failed";
      var raw = window.MB_SEARCH_INDEX, got = window.MB_SEARCH_PARTS || [], parts = [];
      var n = raw && raw.parts > 1 ? raw.parts : 1;
      for (var k = 1; k < n; k++) {
        if (!got[k] || got[k].v !== 1) ok = false;
        parts.push(got[k]);
      }
      if (ok && raw && raw.v === 1) {
        try { idx = prepare(raw, parts); state = "ready"; } catch (e) { idx = null; }
      }
      update();
    };
    // The other parts, once the first says how many there are (a single-file
    // handbook holds them all already).
    var rest = function (ok) {
      var raw = window.MB_SEARCH_INDEX;
      var n = ok && raw && raw.parts > 1 ? raw.parts : 1, waiting = 0, failed = false;
      var got = window.MB_SEARCH_PARTS || [];
      var one = function (fine) {
        if (!fine) failed = true;
        if (--waiting === 0) done(!failed);
      };
      for (var k = 1; k < n; k++) {
        if (got[k]) continue;
        waiting++;
        inject(file.replace(/\.js$/, "-" + k + ".js"), one);
      }
      if (waiting === 0) done(ok);
    };
    if (window.MB_SEARCH_INDEX) { rest(true); return; }
    inject(file, rest);
  }

  function setOpen(open) {
    box.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(-1);
  }

  function setActive(i) {
    if (active >= 0 && links[active]) links[active].setAttribute("aria-selected", "false");
    active = i;
    if (active >= 0 && links[active]) {
      links[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", links[active].id);
      if (links[active].scrollIntoView) links[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  function status(text, cls) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    box.appendChild(p);
  }

  function update() {
    var query = input.value;
    if (query !== shownFor) showAll = false;
    shownFor = query;
    links = [];
    more = null;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    box.textContent = "";
    if (!query.trim()) { setOpen(false); return; }
    if (state === "idle") load();
    if (state === "loading") { setOpen(false); return; }
    if (state === "failed") {
      status(ui("unavailable", "Search could not be loaded."), "no-results");
      setOpen(true);
      return;
    }
    // Nothing searchable yet (a single letter, punctuation): say nothing while typing.
    if (words(query, idx.fold).length === 0) { setOpen(false); return; }
    var res = run(idx, query);
    if (res.hits.length === 0) {
      var q = query.trim();
      status(ui("no-results", "No results for") + (fr ? " «\u202f" + q + "\u202f»" : " “" + q + "”"), "no-results");
      setOpen(true);
      return;
    }
    var n = res.hits.length;
    status(counted("count", n, "{n} results"), "search-count");
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-live", "off");
    list.id = "mb-search-list";
    var shown = showAll ? res.hits : res.hits.slice(0, MAX_SHOWN);
    shown.forEach(function (hit, i) {
      var page = idx.pages[hit.page], anchor = idx.chunkAnchor[hit.chunk];
      var li = document.createElement("li");
      li.setAttribute("role", "none");
      var a = document.createElement("a");
      a.id = "mb-search-option-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.href = root + page[1] + (anchor ? "#" + anchor : "");
      var title = document.createElement("span");
      title.className = "result-title";
      highlighted(page[0], idx.fold, res.matched, title);
      a.appendChild(title);
      if (page[2] & 1) {
        var badge = document.createElement("span");
        badge.className = "badge result-worksheet";
        badge.textContent = ui("worksheet", "Worksheet");
        a.appendChild(document.createTextNode(" "));
        a.appendChild(badge);
      }
      var heading = idx.chunkHeading[hit.chunk];
      if (heading) {
        var h = document.createElement("span");
        h.className = "result-heading";
        a.appendChild(document.createTextNode(" "));
        highlighted(heading, idx.fold, res.matched, h);
        a.appendChild(h);
      }
      var text = idx.text[hit.chunk] || "";
      if (text) {
        var snip = document.createElement("span");
        snip.className = "result-snippet";
        highlighted(snippetText(text, idx.fold, res.matched), idx.fold, res.matched, snip);
        a.appendChild(snip);
      }
      a.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.appendChild(a);
      list.appendChild(li);
      links.push(a);
    });
    box.appendChild(list);
    if (shown.length < n) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = counted("show-all", n, "Show all {n} results");
      more.addEventListener("mousedown", function (e) { e.preventDefault(); });
      more.addEventListener("click", function () {
        var first = shown.length;
        showAll = true;
        update();
        input.focus();
        setActive(first < links.length ? first : -1);
      });
      more.addEventListener("keydown", function (e) {
        if (e.key === "ArrowUp") { e.preventDefault(); input.focus(); setActive(links.length - 1); }
      });
      box.appendChild(more);
    }
    setOpen(true);
  }

  function open(link) {
    setOpen(false);
    window.location.href = link.href;
  }

  input.addEventListener("focus", function () { load(); if (input.value.trim() && state !== "loading") update(); });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (state === "idle") load();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!links.length) return;
      e.preventDefault();
      if (box.hidden) setOpen(true);
      var next = e.key === "ArrowDown" ? active + 1 : active - 1;
      // Past the last result, the "show all" button.
      if (next >= links.length && more) { setActive(-1); more.focus(); return; }
      if (next >= links.length) next = links.length - 1;
      setActive(next < -1 ? -1 : next);
    } else if (e.key === "Enter") {
      if (box.hidden || !links.length) return;
      e.preventDefault();
      open(links[active >= 0 ? active : 0]);
    } else if (e.key === "Escape") {
      if (!box.hidden) { e.preventDefault(); setOpen(false); } else if (input.value) { input.value = ""; update(); }
    }
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); setOpen(false); input.focus(); }
  });
  document.addEventListener("click", function (e) {
    if (!holder.contains(e.target)) setOpen(false);
  });

  // `/` (outside form fields) and Ctrl+K or ⌘K (anywhere) go to the search box.
  function typing(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  }
  document.addEventListener("keydown", function (e) {
    var slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target);
    var ctrlK = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === "k" || e.key === "K");
    if (!slash && !ctrlK) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  // Expose the normalisation for the test that compares it with the Rust side.
  window.mbSearch = {
    words: function (text) { return idx ? words(text, idx.fold) : null; },
    stem: function (word, lang) {
      var l = idx && idx.langs.filter(function (x) { return x.code === lang; })[0];
      return l ? stem(word, l.steps) : null;
    },
    ready: function () { return state === "ready"; }
  };

  // ?q=… in the address opens the search with that query.
  var q = null;
  try { q = new URLSearchParams(window.location.search).get("q"); } catch (e) { q = null; }
  if (q) {
    input.value = q;
    input.focus();
    load();
    update();
  }
})();
