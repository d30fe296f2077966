/**
 * @internal The dashboard's browser script. Every piece of data is written with
 * `textContent` (never `innerHTML`), so task text is never interpreted as HTML. The tree is
 * virtualised: only rows in the viewport exist in the DOM, and subtrees collapse.
 */
export const CLIENT_SCRIPT = String.raw`
"use strict";
(function () {
  var ROW_H = 22;
  var params = new URLSearchParams(location.search);
  var token = params.get("token") || sessionStorage.getItem("echelon-token") || "";
  if (params.get("token")) {
    sessionStorage.setItem("echelon-token", token);
    history.replaceState(null, "", location.pathname);
  }
  var orchs = new Map();
  var order = [];
  var loaded = new Map();
  var loading = new Map();
  var cancelling = new Map();
  var selected = null;
  var userSelected = false;
  var visible = [];
  var trendPoints = [];
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function authHeaders() {
    var h = { "x-echelon-dashboard": "1" };
    if (token) h.authorization = "Bearer " + token;
    return h;
  }
  function withToken(path) { return token ? path + "?token=" + encodeURIComponent(token) : path; }
  function fmtMs(ms) {
    if (ms === null || ms === undefined) return "–";
    if (ms < 1000) return Math.round(ms) + " ms";
    return (ms / 1000).toFixed(1) + " s";
  }

  function upsertOrch(v) {
    var before = orchs.get(v.id);
    if (!before) order.push(v.id);
    // A journal line listed from its summary has no figures; keep those a fold gave it.
    else if ((v.progress === null || v.progress === undefined) && before.progress !== null && before.state === v.state) {
      v.progress = before.progress; v.totalTasks = before.totalTasks; v.patterns = before.patterns;
    }
    orchs.set(v.id, v);
  }
  function unfinished(v) { return v.state === "running" || v.state === "paused" || v.state === "pending"; }
  function tag(cls, text, title) {
    var t = el("span", "tag " + cls, text);
    t.title = title;
    return t;
  }
  function renderOrchs() {
    var body = $("orchs");
    body.replaceChildren();
    for (var i = order.length - 1; i >= 0; i--) {
      var v = orchs.get(order[i]);
      var tr = el("tr", "orch st-" + v.state + (v.id === selected ? " selected" : ""));
      tr.dataset.id = v.id;
      tr.dataset.state = v.state;
      tr.dataset.source = v.source;
      var idCell = el("td", "mono", v.id);
      if (v.source === "journal") idCell.appendChild(tag("journal", "journal", "read from the journal: a run of an earlier process or of another process"));
      tr.appendChild(idCell);
      tr.appendChild(el("td", "", v.taskId));
      var st = el("td", "state", v.state);
      if (v.orphaned) st.appendChild(tag("orphan", "no live owner", "no live process holds this run (it crashed or was stopped); resume it with echelon resume"));
      if (v.cancelRequested && unfinished(v)) st.appendChild(tag("requested", "cancel requested", "a cancel request waits in the journal for the process that runs it"));
      tr.appendChild(st);
      var pc = el("td");
      if (v.progress === null || v.progress === undefined) {
        pc.appendChild(el("span", "small", "–"));
      } else {
        var bar = el("div", "bar");
        var fill = el("div", "fill");
        fill.style.width = Math.max(0, Math.min(100, v.progress)).toFixed(1) + "%";
        bar.appendChild(fill);
        pc.appendChild(bar);
        pc.appendChild(el("span", "small", v.progress.toFixed(0) + " %"));
      }
      tr.appendChild(pc);
      tr.appendChild(el("td", "", fmtMs(v.elapsedMs)));
      tr.appendChild(el("td", "", v.state === "running" ? fmtMs(v.etaMs) : "–"));
      tr.appendChild(el("td", "small", v.patterns.join(", ")));
      var act = el("td");
      // A journal run is cancelled through the journal, which only a live owner reads.
      if ((v.state === "running" || v.state === "paused") && !v.orphaned && !(v.source === "journal" && v.cancelRequested)) {
        var b = el("button", "cancel", "Cancel");
        b.dataset.cancel = v.id;
        if (cancelling.has(v.id)) { b.disabled = true; b.textContent = cancelling.get(v.id); }
        act.appendChild(b);
      }
      tr.appendChild(act);
      body.appendChild(tr);
    }
  }
  $("orchs").addEventListener("click", function (ev) {
    var t = ev.target;
    if (t instanceof HTMLElement && t.dataset.cancel) {
      ev.stopPropagation();
      cancel(t.dataset.cancel, t);
      return;
    }
    var tr = t instanceof HTMLElement ? t.closest("tr") : null;
    if (tr && tr.dataset.id) { userSelected = true; select(tr.dataset.id); }
  });
  function cancel(id, button) {
    var say = function (text) { cancelling.set(id, text); button.disabled = true; button.textContent = text; };
    say("Cancelling…");
    fetch(withToken("/api/orchestrations/" + encodeURIComponent(id) + "/cancel"), { method: "POST", headers: authHeaders() })
      .then(function (r) {
        if (!r.ok) { say("Cancel failed (" + r.status + ")"); return null; }
        return r.json();
      })
      .then(function (body) { if (body && body.via === "journal") say("Cancel requested"); })
      .catch(function () { say("Cancel failed"); });
  }

  function outcomeText(o) {
    if (!o) return "";
    if (o.success) {
      var text = JSON.stringify(o.result);
      if (text === undefined) text = "null";
      return "result: " + (text.length > 300 ? text.slice(0, 300) + "…" : text);
    }
    return o.error ? "error " + o.error.code + ": " + o.error.message : "failed";
  }
  function showOutcome() {
    var entry = selected ? loaded.get(selected) : null;
    var o = entry ? entry.outcome : null;
    var box = $("outcome");
    box.textContent = outcomeText(o);
    box.hidden = !o;
    box.className = o && !o.success ? "outcome failed" : "outcome";
  }
  // A run of this process that just ended: its outcome comes from the journal once written.
  function refreshOutcome(id, retries) {
    fetch(withToken("/api/orchestrations/" + encodeURIComponent(id)), { headers: authHeaders() })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var entry = loaded.get(id);
        if (!data || !entry) return;
        entry.outcome = data.outcome || null;
        if (!entry.outcome && retries > 0) setTimeout(function () { refreshOutcome(id, retries - 1); }, 1000);
        if (selected === id) showOutcome();
      })
      .catch(function () {});
  }

  function select(id) {
    selected = id;
    renderOrchs();
    $("tree-title").textContent = id;
    showOutcome();
    if (loaded.has(id)) { rebuildVisible(); return; }
    if (loading.has(id)) return;
    loading.set(id, []);
    $("tree-count").textContent = "loading…";
    fetch(withToken("/api/orchestrations/" + encodeURIComponent(id)), { headers: authHeaders() })
      .then(function (r) { return r.json().then(function (data) { if (!r.ok) throw new Error(data.error || String(r.status)); return data; }); })
      .then(function (data) {
        if (data.orchestration && data.orchestration.source === "journal") { upsertOrch(data.orchestration); renderOrchs(); }
        var rows = data.rows.map(function (r) {
          return { path: r[0], id: r[1], text: r[2], depth: r[3], parent: r[4], pattern: r[5], state: r[6], agent: r[7], attempts: r[8], kids: 0, open: true };
        });
        var byPath = new Map();
        rows.forEach(function (r, i) { byPath.set(r.path, i); if (r.parent >= 0) rows[r.parent].kids++; });
        rows.forEach(function (r) { r.open = r.depth === 0 || r.kids <= 100; });
        var entry = { rows: rows, byPath: byPath, outcome: data.outcome || null };
        loaded.set(id, entry);
        if (selected === id) showOutcome();
        var buffered = loading.get(id) || [];
        loading.delete(id);
        buffered.forEach(function (b) { if (b.seq > data.seq) applyNode(entry, b.u); });
        if (selected === id) rebuildVisible();
      })
      .catch(function (e) {
        loading.delete(id);
        if (selected === id) $("tree-count").textContent = "cannot load: " + (e && e.message ? e.message : "no answer");
      });
  }
  function applyNode(entry, u) {
    var i = entry.byPath.get(u[1]);
    if (i === undefined) return;
    var r = entry.rows[i];
    r.state = u[2]; r.agent = u[3]; r.attempts = u[4];
  }
  function rebuildVisible() {
    var entry = loaded.get(selected);
    visible = [];
    if (entry) {
      var skipDepth = -1;
      for (var i = 0; i < entry.rows.length; i++) {
        var r = entry.rows[i];
        if (skipDepth >= 0 && r.depth > skipDepth) continue;
        skipDepth = -1;
        visible.push(i);
        if (r.kids > 0 && !r.open) skipDepth = r.depth;
      }
      $("tree-count").textContent = entry.rows.length + " nodes, " + visible.length + " shown";
    }
    $("tree-spacer").style.height = visible.length * ROW_H + "px";
    renderRows();
  }
  var pool = [];
  function renderRows() {
    var box = $("tree");
    var entry = loaded.get(selected);
    var first = Math.max(0, Math.floor(box.scrollTop / ROW_H) - 10);
    var last = Math.min(visible.length, first + Math.ceil(box.clientHeight / ROW_H) + 20);
    var n = entry ? last - first : 0;
    while (pool.length < n) {
      var row = el("div", "row");
      row.appendChild(el("span", "tog"));
      row.appendChild(el("span", "dot"));
      row.appendChild(el("span", "label"));
      row.appendChild(el("span", "meta"));
      $("tree-spacer").appendChild(row);
      pool.push(row);
    }
    for (var k = 0; k < pool.length; k++) {
      var div = pool[k];
      if (k >= n) { div.hidden = true; continue; }
      var idx = visible[first + k];
      var r = entry.rows[idx];
      div.hidden = false;
      div.style.top = (first + k) * ROW_H + "px";
      div.style.paddingLeft = 6 + r.depth * 16 + "px";
      div.className = "row st-" + r.state;
      div.dataset.path = r.path;
      div.dataset.state = r.state;
      div.dataset.index = String(idx);
      div.children[0].textContent = r.kids > 0 ? (r.open ? "▾" : "▸") : "";
      div.children[2].textContent = r.id + (r.text ? " — " + r.text : "");
      div.children[3].textContent = r.state + (r.pattern ? " · " + r.pattern : "") + (r.agent ? " · " + r.agent : "") + (r.attempts > 1 ? " · attempt " + r.attempts : "");
    }
  }
  $("tree").addEventListener("scroll", function () { requestAnimationFrame(renderRows); });
  $("tree").addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof HTMLElement) || !t.classList.contains("tog")) return;
    var row = t.parentElement;
    var entry = loaded.get(selected);
    if (!row || !entry) return;
    var r = entry.rows[Number(row.dataset.index)];
    if (r && r.kids > 0) { r.open = !r.open; rebuildVisible(); }
  });
  $("expand").addEventListener("click", function () { setAll(true); });
  $("collapse").addEventListener("click", function () { setAll(false); });
  function setAll(open) {
    var entry = loaded.get(selected);
    if (!entry) return;
    entry.rows.forEach(function (r) { r.open = open || r.depth === 0; });
    rebuildVisible();
  }

  function renderLevels(levels) {
    var box = $("levels");
    box.replaceChildren();
    levels.forEach(function (l) {
      var line = el("div", "level");
      line.dataset.level = l.level;
      line.appendChild(el("span", "lname", l.level));
      var bar = el("div", "bar wide");
      var fill = el("div", "fill");
      fill.style.width = (l.windowUtilisation * 100).toFixed(1) + "%";
      bar.appendChild(fill);
      line.appendChild(bar);
      line.appendChild(el("span", "small", (l.windowUtilisation * 100).toFixed(0) + " % now · " + (l.utilisation * 100).toFixed(0) + " % overall · " + l.agents + " agents, capacity " + l.capacity));
      box.appendChild(line);
    });
  }
  function renderEvents(events) {
    var list = $("events");
    events.forEach(function (e) {
      var li = el("li");
      li.appendChild(el("span", "etype", e.type));
      li.appendChild(el("span", "mono", " " + e.orchestrationId + (e.nodePath ? " " + e.nodePath : "")));
      if (e.detail) li.appendChild(el("span", "small", " " + e.detail));
      list.insertBefore(li, list.firstChild);
    });
    while (list.childElementCount > 100) list.removeChild(list.lastChild);
  }
  function drawChart(canvas, key, unit) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    var pts = trendPoints.filter(function (p) { return p[key] !== null; });
    var max = Math.max(1, Math.max.apply(null, pts.map(function (p) { return p[key]; }).concat([0])));
    ctx.strokeStyle = "#ccc"; ctx.beginPath(); ctx.moveTo(0, h - 1); ctx.lineTo(w, h - 1); ctx.stroke();
    ctx.fillStyle = "#555"; ctx.font = "11px sans-serif";
    ctx.fillText("max " + max.toFixed(1) + " " + unit, 4, 12);
    if (trendPoints.length === 0) return;
    var t0 = trendPoints[0].t, t1 = trendPoints[trendPoints.length - 1].t;
    var xy = function (p) {
      return [((p.t - t0) / Math.max(1, t1 - t0)) * (w - 8) + 4, h - 4 - (p[key] / max) * (h - 20)];
    };
    ctx.strokeStyle = "#2a6fdb"; ctx.fillStyle = "#2a6fdb"; ctx.lineWidth = 2; ctx.beginPath();
    pts.forEach(function (p, i) {
      var c = xy(p);
      if (i === 0) ctx.moveTo(c[0], c[1]); else ctx.lineTo(c[0], c[1]);
    });
    ctx.stroke();
    if (pts.length > 0) {
      var c = xy(pts[pts.length - 1]);
      ctx.beginPath(); ctx.arc(c[0], c[1], 3, 0, 2 * Math.PI); ctx.fill();
    }
  }
  function applyOverview(o) {
    renderLevels(o.levels);
    trendPoints = o.trends;
    $("queue").textContent = String(o.queueDepth);
    drawChart($("chart-throughput"), "throughput", "tasks/s");
    drawChart($("chart-overhead"), "overhead", "%");
  }

  function showJournal(problem) {
    var box = $("journal-problem");
    box.hidden = !problem;
    box.textContent = problem ? "journal unavailable (" + problem.code + "): " + problem.error : "";
  }
  function onSnapshot(data) {
    orchs.clear(); order = []; loaded.clear(); loading.clear();
    // Newest first on the wire; the table shows the last upserted on top.
    for (var i = data.orchestrations.length - 1; i >= 0; i--) upsertOrch(data.orchestrations[i]);
    showJournal(data.journal);
    $("events").replaceChildren();
    renderEvents(data.events);
    applyOverview(data.overview);
    autoSelect();
    renderOrchs();
    if (selected && orchs.has(selected)) select(selected);
  }
  function autoSelect() {
    if (userSelected && selected && orchs.has(selected)) return;
    for (var i = order.length - 1; i >= 0; i--) {
      var v = orchs.get(order[i]);
      if (v.state === "running" && v.source !== "journal") { if (selected !== v.id) select(v.id); return; }
    }
    if (!selected && order.length > 0) select(order[order.length - 1]);
  }
  function onBatch(b) {
    b.orchestrations.forEach(function (v) {
      var before = orchs.get(v.id);
      upsertOrch(v);
      // A journal run changed in its journal (another process runs it): its tree is stale.
      if (v.source === "journal" && before && before.state !== v.state && loaded.has(v.id)) {
        loaded.delete(v.id);
        if (selected === v.id) select(v.id);
      } else if (before && before.state !== v.state && !unfinished(v) && loaded.has(v.id)) {
        refreshOutcome(v.id, 2);
      }
    });
    b.nodes.forEach(function (u) {
      var entry = loaded.get(u[0]);
      if (entry) applyNode(entry, u);
      else if (loading.has(u[0])) loading.get(u[0]).push({ seq: b.seq, u: u });
    });
    renderEvents(b.events);
    applyOverview(b.overview);
    autoSelect();
    renderOrchs();
    renderRows();
  }
  function connect() {
    var es = new EventSource(withToken("/api/events"));
    es.addEventListener("snapshot", function (m) { $("conn").textContent = "live"; onSnapshot(JSON.parse(m.data)); });
    es.addEventListener("batch", function (m) { onBatch(JSON.parse(m.data)); });
    es.onerror = function () { $("conn").textContent = "reconnecting…"; };
  }
  connect();
})();
`;
