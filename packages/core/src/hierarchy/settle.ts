import type { LevelPool } from "./level-pool.js";
import type { PooledAgent } from "./pooled-agent.js";

/**
 * After an abort, the agent keeps its slot until its work settles. If it has not settled
 * within `graceMs` it ignored the abort: it is retired (disposed, its late answer discarded),
 * and its slot still counts against the cap until the work settles.
 *
 * @param pool - the agent's level pool
 * @param agent - the agent
 * @param pending - its execution
 * @param graceMs - how long it may take to honour the abort
 */
export function releaseWhenSettled(
  pool: LevelPool,
  agent: PooledAgent,
  pending: Promise<unknown>,
  graceMs: number,
): void {
  let settled = false;
  const timer = setTimeout(() => {
    if (!settled) pool.retire(agent, `ignored an abort for more than ${graceMs} ms`, true);
  }, graceMs);
  timer.unref?.();
  const done = () => {
    settled = true;
    clearTimeout(timer);
    pool.release(agent);
  };
  pending.then(done, done);
}
