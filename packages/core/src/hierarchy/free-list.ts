import type { PooledAgent } from "./pooled-agent.js";

/**
 * The agents of a level that have a free slot, kept sorted by spawn order so strategies see
 * a stable candidate order without sorting on every grant. Insert and remove are a binary
 * search plus an array splice; membership is a flag on the agent.
 */
export class FreeList {
  private readonly items: PooledAgent[] = [];
  private readonly member = new WeakSet<PooledAgent>();

  /** Number of agents with a free slot. */
  get size(): number {
    return this.items.length;
  }

  /** The agents, in spawn order. Do not mutate. */
  get agents(): readonly PooledAgent[] {
    return this.items;
  }

  /** Adds an agent (no-op when present). */
  add(agent: PooledAgent): void {
    if (this.member.has(agent)) return;
    this.member.add(agent);
    const items = this.items;
    // Released agents are often the most recently spawned: check the end first.
    if (items.length === 0 || items[items.length - 1]!.seq < agent.seq) {
      items.push(agent);
      return;
    }
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid]!.seq < agent.seq) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, agent);
  }

  /** Removes an agent (no-op when absent). */
  delete(agent: PooledAgent): void {
    if (!this.member.has(agent)) return;
    this.member.delete(agent);
    const items = this.items;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid]!.seq < agent.seq) lo = mid + 1;
      else hi = mid;
    }
    if (items[lo] === agent) items.splice(lo, 1);
  }
}
