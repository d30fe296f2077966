import { startLocalRedis } from "@echelon/transport-bullmq";
import type { CaseSpec } from "./suite.js";

/** A case left out of a run, and why. */
export interface SkippedCase {
  readonly key: string;
  readonly reason: string;
}

/** The cases to run, with the Redis they need. */
export interface BenchRedis {
  readonly cases: readonly CaseSpec[];
  readonly skipped: readonly SkippedCase[];
  /** Stops the Redis started for the run (if any). */
  stop(): Promise<void>;
}

/**
 * Starts one local `redis-server` (no persistence) for the cases that need one (`options.redis`)
 * and gives them its port; without `redis-server`, those cases are skipped with the reason,
 * never failed.
 *
 * @param cases - the suite's cases
 * @param executable - the redis-server to run (default: `redis-server` on PATH)
 * @returns the cases to run, the skipped ones, and `stop()`
 */
export async function benchRedis(cases: readonly CaseSpec[], executable?: string): Promise<BenchRedis> {
  const needing = cases.filter((c) => c.options?.redis === true);
  if (needing.length === 0) return { cases, skipped: [], stop: async () => {} };
  try {
    const redis = await startLocalRedis(executable !== undefined ? { executable } : {});
    return {
      cases: cases.map((c) =>
        c.options?.redis === true ? { ...c, options: { ...c.options, redisPort: redis.port } } : c,
      ),
      skipped: [],
      stop: () => redis.stop(),
    };
  } catch (error) {
    const reason = `no Redis: ${error instanceof Error ? error.message : String(error)}`;
    return {
      cases: cases.filter((c) => c.options?.redis !== true),
      skipped: needing.map((c) => ({ key: c.key, reason })),
      stop: async () => {},
    };
  }
}
