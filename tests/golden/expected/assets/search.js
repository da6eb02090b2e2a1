// Search for the directory page. Every member's card is already in the page, so the directory
// works without JavaScript; this script narrows and orders those cards with the Pagefind index
// (built into pagefind/ beside the pages) and keeps the filter counts current. No network but
// the site's own files: it works offline and under a sub-path (the form carries both paths).
(function () {
  "use strict";

  var form = document.getElementById("search");
  var list = document.getElementById("cards");
  var status = document.getElementById("search-status");
  if (!form || !list || !status) return;
  var groups = Array.prototype.slice.call(form.querySelectorAll(".filter"));

  var input = form.querySelector("input[type=search]");
  var cards = Array.prototype.slice.call(list.children);
  var byUrl = new Map(cards.map(function (card) { return [card.getAttribute("data-url"), card]; }));
  var options = Array.prototype.slice.call(form.querySelectorAll(".filter-option"));
  var urls = new Map(); // Pagefind result id -> page URL, so each result's data loads once
  var pagefind = null;
  var generation = 0;
  var timer = 0;

  function plural(n) { return n + " member" + (n === 1 ? "" : "s"); }

  // The live count below the form, and its copy at the foot of each filter list, which covers it when open.
  function say(text) {
    status.textContent = text;
    form.querySelectorAll(".filter-status").forEach(function (copy) { copy.textContent = text; });
  }

  function chosen() {
    var filters = {};
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || { any: [] }).any.push(box.value);
    });
    return filters;
  }

  function setCounts(counts) {
    options.forEach(function (option) {
      var box = option.querySelector("input");
      var count = option.querySelector(".count");
      var n = counts ? ((counts[box.name] || {})[box.value] || 0) : Number(count.getAttribute("data-total"));
      count.textContent = String(n);
      option.classList.toggle("empty", n === 0 && !box.checked);
    });
    form.querySelectorAll(".filter").forEach(function (group) {
      group.classList.toggle("active", group.querySelector("input:checked") !== null);
    });
  }

  function showAll() {
    cards.forEach(function (card) { card.hidden = false; list.appendChild(card); });
    say(plural(cards.length));
    setCounts(null);
  }

  function show(found, query) {
    var shown = new Set(found);
    cards.forEach(function (card) { card.hidden = !shown.has(card); });
    // With words, best match first; with filters alone, the directory's own order.
    (query ? found : cards.filter(function (c) { return shown.has(c); })).forEach(function (card) {
      list.appendChild(card);
    });
    cards.forEach(function (card) { if (!shown.has(card)) list.appendChild(card); });
    say(found.length
      ? "Showing " + plural(found.length) + " of " + cards.length
      : "No member matches. Try fewer words or filters.");
  }

  function resultUrl(result) {
    if (urls.has(result.id)) return Promise.resolve(urls.get(result.id));
    return result.data().then(function (data) { urls.set(result.id, data.url); return data.url; });
  }

  function remember(query, filters) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(filters).sort().forEach(function (name) {
      filters[name].any.forEach(function (value) { params.append(name, value); });
    });
    var search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  // Values of one filter combine with "any", so a value's count in a group already in use is
  // the number of members the search would show with that group's choice widened to include it.
  function groupCounts(query, filters, counts) {
    var groups = Object.keys(filters);
    return Promise.all(groups.map(function (group) {
      var others = {};
      groups.forEach(function (g) { if (g !== group) others[g] = filters[g]; });
      if (!query && Object.keys(others).length === 0) return Promise.resolve(null);
      return pagefind.search(query || null, { filters: others });
    })).then(function (searches) {
      var merged = Object.assign({}, counts);
      groups.forEach(function (group, i) {
        merged[group] = searches[i] ? searches[i].filters[group] || {} : totals(group);
      });
      return merged;
    });
  }

  function totals(group) {
    var counts = {};
    form.querySelectorAll("input[name='" + group + "']").forEach(function (box) {
      counts[box.value] = Number(box.parentNode.querySelector(".count").getAttribute("data-total"));
    });
    return counts;
  }

  function run() {
    var mine = ++generation;
    var query = input.value.trim();
    var filters = chosen();
    remember(query, filters);
    if (!query && Object.keys(filters).length === 0) { showAll(); return; }
    pagefind.search(query || null, { filters: filters }).then(function (search) {
      if (mine !== generation || !search) return null;
      return Promise.all([Promise.all(search.results.map(resultUrl)), groupCounts(query, filters, search.filters)])
        .then(function (done) {
          if (mine !== generation) return;
          show(done[0].map(function (url) { return byUrl.get(url); }).filter(Boolean), query);
          setCounts(done[1]);
        });
    }).catch(function () {
      showAll();
      say("Search failed; every member is listed below.");
    });
  }

  // A filter list is a popover: one open at a time, closed by Escape, Done, a click or Tab outside it.
  function close(group, refocus) {
    group.open = false;
    if (refocus) group.querySelector("summary").focus();
  }

  function popovers() {
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) groups.forEach(function (other) { if (other !== group) other.open = false; });
      });
      group.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !group.contains(event.relatedTarget)) close(group, false);
      });
      group.querySelector(".filter-done").addEventListener("click", function () { close(group, true); });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) { if (group.open && !group.contains(event.target)) close(group, false); });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      groups.forEach(function (group) { if (group.open) close(group, group.contains(document.activeElement)); });
    });
  }

  function later() { clearTimeout(timer); timer = setTimeout(run, 150); }

  function restore() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) !== -1;
    });
  }

  import(form.getAttribute("data-pagefind")).then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: form.getAttribute("data-base") });
  }).then(function () {
    // Loading every filter up front: a search only counts the filters whose data is loaded.
    return pagefind.init().then(function () { return pagefind.filters(); });
  }).then(function () {
    form.hidden = false;
    input.addEventListener("input", later);
    form.addEventListener("change", function (event) { if (event.target.type === "checkbox") run(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    form.addEventListener("reset", function () { setTimeout(run, 0); });
    popovers();
    restore();
    run();
  }).catch(function () {
    // The index is missing (a build without search, or a page opened from disk): the list stays whole.
  });
})();
