// Measures the SQLite journal on real orchestrations: database size per leaf, transactions per
// run, append throughput, and how fast a run is read back and folded (what resume does).
// Usage (after a build): node scripts/measure.mjs [leaves=100000] [--json]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createOrchestrator, foldRunState, functionAgent, MemoryEventStore } from "echelon";
import { SqliteEventStore } from "../dist/index.js";

// A fresh process that reads one run and folds it, as resume after a crash does (cold code, cold cache).
const coldAt = process.argv.indexOf("--cold-read");
if (coldAt > 0) {
  const store = new SqliteEventStore({ path: process.argv[coldAt + 1], retention: false });
  store.open();
  const t0 = performance.now();
  const events = store.read(process.argv[coldAt + 2]);
  const t1 = performance.now();
  foldRunState(events);
  const t2 = performance.now();
  await store.close();
  console.log(JSON.stringify({ readMs: t1 - t0, foldMs: t2 - t1 }));
  process.exit(0);
}

const leaves = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
const asJson = process.argv.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "echelon-measure-"));

/** A two-level tree: groups of 1,000 leaves under a fork-join root; each leaf hashes its input. */
function spec(n) {
  const groups = Math.ceil(n / 1000);
  return {
    id: "root",
    description: "measure",
    pattern: "fork-join",
    children: Array.from({ length: groups }, (_, g) => ({
      id: `g-${g}`,
      description: `group ${g}`,
      pattern: "fork-join",
      children: Array.from({ length: Math.min(1000, n - g * 1000) }, (_, i) => ({
        id: `leaf-${i}`,
        description: `leaf ${i}`,
        input: g * 1000 + i,
      })),
    })),
  };
}

const agents = [
  functionAgent({ id: "worker", capacity: 64 }, (work) => ({
    n: Number(work.input),
    square: Number(work.input) ** 2,
  })),
];

async function run(n, store) {
  const orchestrator = createOrchestrator({
    eventStore: store,
    agents,
    maxDepth: 2,
    maxAgentsPerLevel: [1, 128, 64],
  });
  const t0 = performance.now();
  const result = await orchestrator.orchestrateComplexTask(spec(n));
  await store?.commit?.();
  const ms = performance.now() - t0;
  await orchestrator.shutdown();
  if (result.state !== "completed") throw new Error(`run ${result.state}: ${result.errorMessage}`);
  return { result, ms };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Size of each table and index, bytes (SQLite's dbstat). */
function tableSizes(path) {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
    .all();
  db.close();
  return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
}

const out = { leaves, node: process.version };

// 1. Size: a real run of `leaves` leaves journaled in SQLite.
{
  const path = join(dir, "size.db");
  const store = new SqliteEventStore({ path, retention: false });
  const { result, ms } = await run(leaves, store);
  const events = store.read(result.orchestrationId).length;
  const stats = store.stats();
  await store.close();
  const bytes = statSync(path).size;
  const tables = tableSizes(path);
  out.size = {
    events,
    databaseBytes: bytes,
    bytesPerLeaf: Math.round(bytes / leaves),
    eventBytesPerLeaf: Math.round(((tables.events ?? 0) + (tables.shapes ?? 0)) / leaves),
    planBytes: (tables.plans ?? 0) + (tables.plans_by_run ?? 0),
    tables,
    transactions: stats.transactions,
    runMs: Math.round(ms),
  };
}

// 2. Transactions, and the cost of journaling, for 10,000-leaf runs (memory store as the baseline).
{
  const n = 10_000;
  const sqliteMs = [];
  const memoryMs = [];
  const transactions = [];
  for (let i = 0; i < 3; i++) {
    memoryMs.push((await run(n, new MemoryEventStore())).ms);
    const store = new SqliteEventStore({ path: join(dir, `tx-${i}.db`) });
    sqliteMs.push((await run(n, store)).ms);
    transactions.push(store.stats().transactions);
    await store.close();
  }
  const full = new SqliteEventStore({ path: join(dir, "tx-full.db"), synchronous: "full" });
  const fullMs = (await run(n, full)).ms;
  const fullTx = full.stats().transactions;
  await full.close();
  out.run10k = {
    transactions: median(transactions),
    transactionsFull: fullTx,
    memoryStoreMs: Math.round(median(memoryMs)),
    sqliteNormalMs: Math.round(median(sqliteMs)),
    sqliteFullMs: Math.round(fullMs),
  };
}

// 3. Append throughput: the 10,000-leaf run's real events appended to a fresh journal and committed.
{
  const source = new SqliteEventStore({ path: join(dir, "tx-0.db") });
  const [id] = source.list();
  const events = source.read(id);
  await source.close();
  const rates = [];
  for (let i = 0; i < 5; i++) {
    const store = new SqliteEventStore({ path: join(dir, `append-${i}.db`) });
    store.open();
    const t0 = performance.now();
    for (const e of events) store.append(e);
    await store.commit();
    rates.push(events.length / ((performance.now() - t0) / 1000));
    await store.close();
  }
  out.append = { events: events.length, eventsPerSecond: Math.round(median(rates)) };

  // 4. Resume's read: the same run cut after 9,999 completed leaves (no terminal event), read and folded.
  const lastLeaf = events.findLastIndex((e) => e.type === "task:completed" && e.nodePath.includes("/leaf-"));
  const cut = events
    .slice(0, lastLeaf)
    .filter((e) => !e.type.startsWith("orchestration:") || e.type === "orchestration:started");
  const path = join(dir, "resume.db");
  const writer = new SqliteEventStore({ path });
  for (const e of cut) writer.append(e);
  await writer.close();
  const reader = new SqliteEventStore({ path });
  reader.open();
  const readMs = [];
  const foldMs = [];
  let state;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const read = reader.read(id);
    const t1 = performance.now();
    state = foldRunState(read);
    readMs.push(t1 - t0);
    foldMs.push(performance.now() - t1);
  }
  await reader.close();
  const cold = Array.from({ length: 5 }, () =>
    JSON.parse(
      execFileSync(process.execPath, [import.meta.filename, "--cold-read", path, id], { encoding: "utf8" }),
    ),
  );
  out.resumeRead = {
    coldReadMs: Math.round(median(cold.map((c) => c.readMs))),
    coldFoldMs: Math.round(median(cold.map((c) => c.foldMs))),
    coldReadAndFoldMs: Math.round(median(cold.map((c) => c.readMs + c.foldMs))),
    events: cut.length,
    completedLeaves: state.completedLeaves,
    state: state.state,
    readMs: Math.round(median(readMs)),
    foldMs: Math.round(median(foldMs)),
    readAndFoldMs: Math.round(median(readMs.map((r, i) => r + foldMs[i]))),
  };
}

rmSync(dir, { recursive: true, force: true });
if (asJson) console.log(JSON.stringify(out, null, 2));
else {
  const s = out.size;
  console.log(
    `journal of a ${leaves.toLocaleString("en")}-leaf run (${s.events.toLocaleString("en")} events, Node ${out.node})`,
  );
  console.log(
    `  database ${(s.databaseBytes / 1e6).toFixed(1)} MB = ${s.bytesPerLeaf} bytes per leaf (events ${s.eventBytesPerLeaf} B/leaf, plan ${(s.planBytes / 1e6).toFixed(2)} MB gzipped)`,
  );
  console.log(`  tables ${JSON.stringify(s.tables)}`);
  console.log(`  ${s.transactions} transactions, run ${s.runMs} ms`);
  const r = out.run10k;
  console.log(
    `10,000-leaf run: ${r.transactions} transactions (synchronous normal), ${r.transactionsFull} (full)`,
  );
  console.log(
    `  wall ms: memory store ${r.memoryStoreMs}, sqlite normal ${r.sqliteNormalMs}, sqlite full ${r.sqliteFullMs}`,
  );
  console.log(
    `append: ${out.append.eventsPerSecond.toLocaleString("en")} events/s (${out.append.events} real events, appended then committed)`,
  );
  const q = out.resumeRead;
  console.log(`resume read: ${q.events} events, ${q.completedLeaves} leaves done, ${q.state}`);
  console.log(
    `  warm (7 reads in one process, median): read ${q.readMs} + fold ${q.foldMs} = ${q.readAndFoldMs} ms`,
  );
  console.log(
    `  cold (a fresh process each, median of 5): read ${q.coldReadMs} + fold ${q.coldFoldMs} = ${q.coldReadAndFoldMs} ms`,
  );
}
