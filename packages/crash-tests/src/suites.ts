import type { KillPoint } from "./kill-switch-store.js";
import type { CaseSpec } from "./scenario.js";
import { seededKills } from "./seeded.js";
import { everyWrite, type SweepOptions } from "./sweep.js";

/** The seed of the map-reduce sweeps unless one is given (`CRASH_SEED`). */
export const DEFAULT_SEED = 12345;

/** Leaves of the large map-reduce plan. */
export const MAP_REDUCE_LEAVES = 2000;

/** The mixed plan with batching off: every event is its own transaction, so write K is event K. */
export const MIXED_UNBATCHED: CaseSpec = { plan: "mixed", batchSize: 1 };

/** The mixed plan with the store's default batching: write K is transaction K. */
export const MIXED_BATCHED: CaseSpec = { plan: "mixed" };

/** `2nd`, `3rd`, `4th`, … */
const ordinal = (n: number): string =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

/**
 * Kill after every journal write K in 1..N of the mixed plan (N from its fault-free run), or
 * every `stride`-th write (starting at `offset`) for a quicker pass.
 */
export function mixedSweep(spec: CaseSpec, stride = 1, offset = 1): SweepOptions {
  const unit = spec.batchSize === 1 ? "event" : "transaction";
  return {
    name: `mixed plan (${spec.batchSize === 1 ? "batching off" : "default batching"}${stride > 1 ? `, every ${ordinal(stride)} write` : ""})`,
    spec,
    kills: (reference) => {
      const n = unit === "event" ? reference.journal.length : reference.output!.stats.transactions;
      return everyWrite(unit, n).filter((_, i) => i % stride === (offset - 1) % stride);
    },
  };
}

/**
 * The 2,000-leaf map-reduce killed after `count` seeded random journal writes (transactions;
 * with batching off each is one event).
 */
export function mapReduceSweep(batching: "default" | "off", seed: number, count: number): SweepOptions {
  const spec: CaseSpec = {
    plan: "map-reduce",
    leaves: MAP_REDUCE_LEAVES,
    ...(batching === "off" ? { batchSize: 1 } : {}),
  };
  return {
    name: `map-reduce ${MAP_REDUCE_LEAVES.toLocaleString("en-US")} (batching ${batching})`,
    spec,
    kills: (reference) =>
      seededKills(seed, reference.output!.stats.transactions, count).map(
        (at): KillPoint => ({ unit: "transaction", at }),
      ),
  };
}

/** A named kill point: a plan, where the process dies, and the moment it must be. */
export interface NamedKill {
  readonly name: string;
  readonly spec: CaseSpec;
  readonly kill: KillPoint;
}

/**
 * The named kill points: during fan-out, during saga forward steps, during compensation, and
 * after a cancel (requested in the process, or by another process through the journal).
 */
export const NAMED_KILLS: readonly NamedKill[] = [
  {
    name: "during fan-out (3 of 8 map leaves done)",
    spec: MIXED_UNBATCHED,
    kill: { unit: "afterType", type: "task:completed", nodePath: "release/count/count-2", extra: 0 },
  },
  {
    name: "during fan-out of 2,000 leaves (default batching, after leaf 700)",
    spec: { plan: "map-reduce", leaves: MAP_REDUCE_LEAVES },
    kill: { unit: "afterType", type: "task:completed", nodePath: "squares/squares-700", extra: 0 },
  },
  {
    name: "during saga forward steps (bill: debit done)",
    spec: MIXED_UNBATCHED,
    kill: { unit: "afterType", type: "task:completed", nodePath: "release/deploy/bill/debit", extra: 0 },
  },
  {
    name: "during compensation (bill: notify undone, debit and hold not yet)",
    spec: MIXED_UNBATCHED,
    kill: { unit: "afterType", type: "task:compensated", nodePath: "release/deploy/bill/notify", extra: 0 },
  },
  {
    name: "right after a cancel was journaled",
    spec: { plan: "cancel", batchSize: 1 },
    kill: { unit: "afterType", type: "orchestration:cancelling", extra: 0 },
  },
  {
    name: "after a cancel, during its compensation",
    spec: { plan: "cancel", batchSize: 1 },
    kill: { unit: "afterType", type: "task:compensated", nodePath: "order/checkout/charge", extra: 0 },
  },
  {
    name: "after a cancel requested by another process was seen",
    spec: { plan: "remote-cancel", batchSize: 1, remoteCancel: "poll" },
    kill: { unit: "afterType", type: "orchestration:cancelling", extra: 0 },
  },
  {
    name: "right after another process requested a cancel (before the run saw it)",
    spec: { plan: "remote-cancel", batchSize: 1, remoteCancel: "at-request" },
    kill: { unit: "parent" },
  },
];
