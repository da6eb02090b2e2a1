// "How are we connected?": the shortest chain of confirmed connections between two members,
// found in the browser. The graph file (handles, names, adjacency as gaps) loads only when
// someone starts picking members or opens a shared ?from=a&to=b link; hop contexts load only
// for the members on the chain found. The search is the one `connectory path` runs: distances
// from the target level by level, then from the source always the lowest-numbered neighbour
// one step closer (members are numbered in handle order), so both give the same chain.
(function () {
  "use strict";

  var form = document.getElementById("path-form");
  var status = document.getElementById("path-status");
  var result = document.getElementById("path-result");
  if (!form || !status || !result) return;
  var fromInput = document.getElementById("path-from");
  var toInput = document.getElementById("path-to");
  var people = document.getElementById("path-people");
  var membersUrl = form.getAttribute("data-members");
  var graph = null; // {handles, names, folded, ids, start, nbrs, shards}
  var loading = null;
  var shardCache = new Map();

  form.hidden = false;
  document.getElementById("path-nojs").hidden = true;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function load() {
    if (loading) return loading;
    status.textContent = "Loading the network…";
    loading = fetch(form.getAttribute("data-graph"))
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var n = data.handles.length;
        var degree = new Int32Array(n);
        data.adj.forEach(function (gaps, i) {
          var j = i;
          gaps.forEach(function (gap) { j += gap; degree[i] += 1; degree[j] += 1; });
        });
        var start = new Int32Array(n + 1);
        for (var i = 0; i < n; i++) start[i + 1] = start[i] + degree[i];
        var fill = start.slice(0, n);
        var nbrs = new Int32Array(start[n]);
        // Lower neighbours arrive first, in ascending order, then the higher ones: rows stay sorted.
        data.adj.forEach(function (gaps, i) {
          var j = i;
          gaps.forEach(function (gap) {
            j += gap;
            nbrs[fill[i]++] = j;
            nbrs[fill[j]++] = i;
          });
        });
        var ids = new Map();
        data.handles.forEach(function (h, i) { ids.set(h, i); });
        graph = { handles: data.handles, names: data.names, folded: data.names.map(fold), ids: ids,
                  start: start, nbrs: nbrs, shards: data.shards };
        status.textContent = "";
        return graph;
      })
      .catch(function (error) {
        loading = null;
        status.textContent = "The network could not be loaded (" + error.message + "). Try again later.";
        throw error;
      });
    return loading;
  }

  function label(i) { return graph.names[i] + " (@" + graph.handles[i] + ")"; }

  function suggest(input) {
    if (!graph) return;
    var wanted = fold(input.value.trim());
    people.textContent = "";
    if (!wanted) return;
    var shown = 0;
    for (var i = 0; i < graph.handles.length && shown < 12; i++) {
      if (graph.folded[i].indexOf(wanted) !== -1 || graph.handles[i].indexOf(wanted) !== -1) {
        var option = document.createElement("option");
        option.value = label(i);
        people.appendChild(option);
        shown += 1;
      }
    }
  }

  // A typed value to a member: "Name (@handle)", a handle, or a name (exact, then the only match).
  function resolve(text) {
    var value = text.trim();
    var tagged = /\(@([a-z0-9-]+)\)$/.exec(value);
    if (tagged && graph.ids.has(tagged[1])) return graph.ids.get(tagged[1]);
    if (graph.ids.has(value)) return graph.ids.get(value);
    var wanted = fold(value);
    var exact = graph.folded.indexOf(wanted);
    if (exact !== -1) return exact;
    var found = -1;
    for (var i = 0; i < graph.folded.length; i++) {
      if (graph.folded[i].indexOf(wanted) !== -1) {
        if (found !== -1) return -2; // more than one: ask to pick from the list
        found = i;
      }
    }
    return found;
  }

  function chain(a, b) {
    var n = graph.handles.length;
    var dist = new Int32Array(n).fill(-1);
    dist[b] = 0;
    var frontier = [b];
    while (frontier.length && dist[a] === -1) {
      var next = [];
      frontier.forEach(function (u) {
        for (var k = graph.start[u]; k < graph.start[u + 1]; k++) {
          var v = graph.nbrs[k];
          if (dist[v] === -1) { dist[v] = dist[u] + 1; next.push(v); }
        }
      });
      frontier = next;
    }
    if (dist[a] === -1) return null;
    var path = [a];
    while (path[path.length - 1] !== b) {
      var here = path[path.length - 1];
      for (var k = graph.start[here]; k < graph.start[here + 1]; k++) {
        if (dist[graph.nbrs[k]] === dist[here] - 1) { path.push(graph.nbrs[k]); break; }
      }
    }
    return path;
  }

  function shardOf(i) {
    var lo = 0, hi = graph.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (graph.shards[mid] <= i) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function contexts(n) {
    if (!shardCache.has(n)) {
      shardCache.set(n, fetch(form.getAttribute("data-contexts") + "contexts-" + n + ".json")
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; }));
    }
    return shardCache.get(n);
  }

  function memberLink(i) {
    var link = document.createElement("a");
    link.href = membersUrl + graph.handles[i] + "/";
    link.textContent = graph.names[i];
    return link;
  }

  function apart(d) {
    if (d === 1) return "know each other directly.";
    if (d === 2) return "are one introduction apart.";
    return "are " + d + " degrees apart: " + (d - 1) + " introductions.";
  }

  function show(a, b) {
    result.textContent = "";
    result.hidden = true;
    if (a === b) { status.textContent = "That is the same member twice: pick two different people."; return; }
    var path = chain(a, b);
    if (!path) {
      status.textContent = "No chain of confirmed connections links " + graph.names[a] + " and " + graph.names[b] +
        " yet. A connection counts once both members list each other.";
      return;
    }
    status.textContent = graph.names[a] + " and " + graph.names[b] + " " + apart(path.length - 1);
    var hops = path.slice(0, -1).map(function (u) { return contexts(shardOf(u)); });
    Promise.all(hops).then(function (shards) {
      path.forEach(function (u, k) {
        var item = document.createElement("li");
        item.appendChild(memberLink(u));
        if (k < path.length - 1) {
          var v = path[k + 1];
          var known = (shards[k][graph.handles[u]] || {})[graph.handles[v]];
          var hop = document.createElement("p");
          hop.className = "hop";
          var words = "knows " + graph.names[v];
          if (known) {
            words += " (" + known[0] + (known[2] ? ", since " + known[2] : "") + ")";
            if (known[1]) words += ": " + known[1];
          }
          hop.textContent = words;
          item.appendChild(hop);
        }
        result.appendChild(item);
      });
      result.hidden = false;
    });
  }

  function find() {
    var a = resolve(fromInput.value), b = resolve(toInput.value);
    var bad = [[a, fromInput], [b, toInput]].filter(function (e) { return e[0] < 0; });
    if (bad.length) {
      var e = bad[0];
      status.textContent = e[0] === -2 ? "Several members match “" + e[1].value + "”: pick one from the list."
        : "No member matches “" + e[1].value + "”.";
      e[1].focus();
      return;
    }
    fromInput.value = label(a);
    toInput.value = label(b);
    var query = "?from=" + encodeURIComponent(graph.handles[a]) + "&to=" + encodeURIComponent(graph.handles[b]);
    history.replaceState(null, "", form.getAttribute("action") + query);
    show(a, b);
  }

  [fromInput, toInput].forEach(function (input) {
    input.addEventListener("focus", function () { load().catch(function () {}); });
    input.addEventListener("input", function () { suggest(input); });
  });
  document.getElementById("path-swap").addEventListener("click", function () {
    var from = fromInput.value;
    fromInput.value = toInput.value;
    toInput.value = from;
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load().then(find).catch(function () {});
  });

  var params = new URLSearchParams(location.search);
  if (params.get("from") || params.get("to")) {
    load().then(function () {
      ["from", "to"].forEach(function (key) {
        var input = key === "from" ? fromInput : toInput;
        var handle = params.get(key);
        if (handle && graph.ids.has(handle)) input.value = label(graph.ids.get(handle));
        else if (handle) input.value = handle;
      });
      if (params.get("from") && params.get("to")) find();
      else (params.get("from") ? toInput : fromInput).focus();
    }).catch(function () {});
  }
})();
