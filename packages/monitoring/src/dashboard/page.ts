import type { NodeState } from "@echelon/core";
import { CLIENT_SCRIPT } from "./client-script.js";

/**
 * The legend of the hierarchy tree: a label and an explanation for every node state. Keyed by
 * `NodeState`, so a state core adds cannot be left out of the legend.
 */
const NODE_STATE_LEGEND: Record<NodeState, { readonly label: string; readonly title: string }> = {
  pending: { label: "pending", title: "not started: waits for the tasks before it" },
  waiting: { label: "waiting", title: "ready, queued for an agent slot (or between retries)" },
  running: { label: "running", title: "an agent is working on it" },
  completed: { label: "done", title: "completed" },
  failed: { label: "failed", title: "failed after its retries" },
  compensated: { label: "compensated", title: "completed, then undone by a saga" },
  cancelled: { label: "cancelled", title: "cancelled before it finished" },
  skipped: { label: "skipped", title: "never ran: its pattern skipped it" },
};

const LEGEND = Object.entries(NODE_STATE_LEGEND)
  .map(
    ([state, { label, title }]) =>
      `<span class="st-${state}" title="${title}"><span class="dot"></span>${label}</span>`,
  )
  .join("");

const STYLE = `
*{box-sizing:border-box}body{font:13px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{display:flex;gap:16px;align-items:center;padding:10px 16px;background:#1d2330;color:#fff}
header h1{font-size:15px;margin:0}header .small{color:#c9d1e0}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:12px;padding:12px}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px;min-width:0}
h2{font-size:13px;margin:0 0 8px}table{width:100%;border-collapse:collapse}
td,th{padding:4px 6px;border-bottom:1px solid #eef0f3;text-align:left;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:220px}
tr.orch{cursor:pointer}tr.selected{background:#eef4ff}
.bar{display:inline-block;width:80px;height:8px;background:#e6e9ef;border-radius:4px;overflow:hidden;vertical-align:middle;margin-right:6px}
.bar.wide{width:40%}.fill{height:100%;background:#2a6fdb}
.small{font-size:11px;color:#5b6473}.mono{font-family:ui-monospace,monospace}
#tree{position:relative;height:60vh;overflow:auto;border:1px solid #eef0f3}#tree-spacer{position:relative}
.row{position:absolute;left:0;right:0;height:22px;line-height:22px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-bottom:1px solid #f3f4f6}
.tog{display:inline-block;width:14px;cursor:pointer;color:#5b6473}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:6px;background:#b8bfcc}
.meta{margin-left:10px;font-size:11px;color:#5b6473}
.st-waiting .dot{background:#d9c27a}.st-running .dot{background:#2a6fdb;box-shadow:0 0 0 2px #bcd3fb}
.st-completed .dot{background:#2f9e55}.st-failed .dot{background:#d64545}.st-compensated .dot{background:#e08a1e}
.st-cancelled .dot{background:#7b5ea7}.st-skipped .dot{background:#d0d4db}
tr.st-running .state{color:#2a6fdb}tr.st-completed .state{color:#2f9e55}tr.st-failed .state{color:#d64545}tr.st-cancelled .state{color:#7b5ea7}
.level{display:flex;gap:8px;align-items:center;margin:4px 0}.lname{width:80px}
canvas{width:100%;height:90px;border:1px solid #eef0f3}
#events{list-style:none;margin:0;padding:0;max-height:30vh;overflow:auto}#events li{padding:2px 0;border-bottom:1px solid #f3f4f6;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.etype{font-weight:600}button{font:inherit;padding:2px 8px;cursor:pointer}
.legend span{margin-right:10px}.full{grid-column:1/3}
.tag{display:inline-block;margin-left:6px;padding:0 5px;border-radius:3px;font:11px/16px system-ui,sans-serif;background:#e6e9ef;color:#3b4352}
.tag.orphan{background:#fbe3e3;color:#9b2c2c}.tag.requested{background:#efe7fa;color:#5b3f8a}
tr[data-source=journal] td{color:#4a5263}
.outcome{margin:0 0 6px;font:12px/16px ui-monospace,monospace;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.outcome.failed{color:#9b2c2c}
.problem{margin:0 0 8px;padding:4px 8px;border-radius:4px;background:#fbe3e3;color:#9b2c2c}
`;

/**
 * @internal The single dashboard page: static HTML with inline CSS and JS (no CDN), both
 * allowed by a per-response nonce in the Content-Security-Policy. It contains no data.
 */
export function dashboardPage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Echelon dashboard</title><style nonce="${nonce}">${STYLE}</style></head>
<body>
<header><h1>Echelon</h1><span class="small">stream: <span id="conn">connecting…</span></span>
<span class="small">queued tasks: <span id="queue">0</span></span></header>
<main>
<section class="full"><h2>Orchestrations <span class="small">(<span class="tag journal">journal</span> runs come from the journal: earlier processes and other processes sharing it)</span></h2>
<div id="journal-problem" class="problem" hidden></div>
<table><thead><tr><th>id</th><th>task</th><th>state</th><th>progress</th><th>elapsed</th><th>ETA</th><th>patterns</th><th></th></tr></thead>
<tbody id="orchs"></tbody></table></section>
<section><h2>Hierarchy: <span id="tree-title" class="mono">–</span> <span id="tree-count" class="small"></span>
<button id="expand">expand all</button> <button id="collapse">collapse all</button></h2>
<div id="outcome" class="outcome" hidden></div>
<div class="legend small">${LEGEND}</div>
<div id="tree"><div id="tree-spacer"></div></div></section>
<section><h2>Utilisation per level</h2><div id="levels"></div>
<h2>Throughput (leaf tasks/s)</h2><canvas id="chart-throughput" width="600" height="90"></canvas>
<h2>Coordination overhead (%)</h2><canvas id="chart-overhead" width="600" height="90"></canvas>
<h2>Recent events</h2><ul id="events"></ul></section>
</main>
<script nonce="${nonce}">${CLIENT_SCRIPT}</script>
</body></html>`;
}
