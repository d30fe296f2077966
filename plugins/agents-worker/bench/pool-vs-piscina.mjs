// Measures this package's worker pool against piscina 5.3.2 on this machine, and probes the
// piscina behaviours the agents depend on. Run after a build:
//   pnpm --filter @echelon/agents-worker bench:piscina
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { silentLogger } from "@echelon/core";
import { Piscina } from "piscina";
import { workerAgent } from "../dist/index.js";

const TASKS = 5000;
const CAPACITY = 2;
const ROUNDS = 5;
const COLD_STARTS = 20;
const tinyTask = fileURLToPath(new URL("./tiny-task.mjs", import.meta.url));
const piscinaTask = fileURLToPath(new URL("./piscina-task.mjs", import.meta.url));

/** A context as the orchestrator gives one attempt, with a signal of its own. */
const context = () => ({
  signal: new AbortController().signal,
  attempt: 1,
  idempotencyKey: "bench",
  orchestrationId: "bench",
  level: "bench",
  report() {},
  logger: silentLogger,
});
const work = (i) => ({
  taskId: `t${i}`,
  nodePath: `t${i}`,
  description: "hash",
  input: `input-${i}`,
  capabilities: [],
  priority: 0,
  metadata: {},
});
const piscina = (maxThreads) =>
  new Piscina({ filename: piscinaTask, maxThreads, minThreads: 0, idleTimeout: Number.POSITIVE_INFINITY });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Each variant runs TASKS hashes on CAPACITY threads, all submitted at once, in a fresh pool. */
const variants = {
  "workerAgent (this package)": async () => {
    const agent = await workerAgent({ module: tinyTask, capacity: CAPACITY }).spawn("bench", {});
    const out = await Promise.all(Array.from({ length: TASKS }, (_, i) => agent.execute(work(i), context())));
    await agent.dispose();
    return out;
  },
  "piscina, result returned": async () => {
    const pool = piscina(CAPACITY);
    const out = await Promise.all(Array.from({ length: TASKS }, (_, i) => pool.run({ text: `input-${i}` })));
    await pool.destroy();
    return out;
  },
  "piscina + a MessagePort per task": async () => {
    const pool = piscina(CAPACITY);
    const out = await Promise.all(
      Array.from({ length: TASKS }, (_, i) => {
        const { port1, port2 } = new MessageChannel();
        const answer = new Promise((resolve) =>
          port1.once("message", (message) => {
            port1.close();
            resolve(message.value);
          }),
        );
        return pool.run({ text: `input-${i}`, port: port2 }, { transferList: [port2] }).then(() => answer);
      }),
    );
    await pool.destroy();
    return out;
  },
};

const startLoad = loadavg()
  .map((l) => l.toFixed(2))
  .join(" / ");
const timings = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
let reference;
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(variants);
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length]; // rotate the order every round
    const started = performance.now();
    const out = await variants[name]();
    timings[name].push(performance.now() - started);
    reference ??= out;
    if (out.length !== TASKS || out.some((digest, i) => digest !== reference[i])) {
      throw new Error(`${name} returned different digests`);
    }
  }
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
console.log(`Node ${process.version}; load average (1/5/15 min) at start ${startLoad}, now ${load()}`);
console.log(`\n${TASKS} sha256 tasks on ${CAPACITY} threads, median of ${ROUNDS} fresh pools`);
for (const [name, ms] of Object.entries(timings)) {
  const m = median(ms);
  console.log(
    `  ${name.padEnd(34)} ${m.toFixed(0).padStart(6)} ms  ${((TASKS / m) * 1000).toFixed(0).padStart(6)} tasks/s`,
  );
}

const coldStarts = {
  "workerAgent (this package)": async (i) => {
    const agent = await workerAgent({ module: tinyTask }).spawn("cold", {});
    await agent.execute(work(i), context());
    await agent.dispose();
  },
  piscina: async () => {
    const pool = piscina(1);
    await pool.run({ text: "cold" });
    await pool.destroy();
  },
};
const cold = Object.fromEntries(Object.keys(coldStarts).map((name) => [name, []]));
for (let i = 0; i < COLD_STARTS; i++) {
  const names = Object.keys(coldStarts);
  if (i % 2 === 1) names.reverse(); // alternate which one goes first
  for (const name of names) {
    const started = performance.now();
    await coldStarts[name](i);
    cold[name].push(performance.now() - started);
  }
}
console.log(`\nnew pool + first task + dispose, median of ${COLD_STARTS}`);
for (const [name, ms] of Object.entries(cold))
  console.log(`  ${name.padEnd(34)} ${median(ms).toFixed(1).padStart(6)} ms`);

console.log("\npiscina behaviours the agents rely on");
{
  const pool = piscina(1);
  const answer = await Promise.race([
    pool.run({ kind: "deep", text: "x" }).then(
      () => "answered",
      (error) => `rejected: ${error.message}`,
    ),
    new Promise((resolve) => setTimeout(resolve, 3000, "no answer within 3 s")),
  ]);
  console.log(`  result nested 10,000 deep (undecodable on the main thread): ${answer}`);
  await pool.destroy();
}
{
  const pool = piscina(1);
  const { port1, port2 } = new MessageChannel();
  const started = new Promise((resolve) => port1.once("message", (m) => resolve(m.threadId)));
  const controller = new AbortController();
  const hung = pool.run({ kind: "hang", port: port2 }, { transferList: [port2], signal: controller.signal });
  const first = await started;
  port1.close();
  controller.abort();
  await hung.catch(() => undefined);
  const next = await pool.run({ kind: "thread" });
  console.log(
    `  abort of a running task: ${next === first ? "thread kept" : "thread terminated at once (no abort reaches the task, no grace period)"}`,
  );
  await pool.destroy();
}
