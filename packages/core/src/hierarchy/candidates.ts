import type { AgentType } from "../agents/agent.js";
import type { AgentLoad } from "../distribution/strategy.js";
import { hookFailed } from "../plugins/registrations.js";
import type { LeaseRequest } from "./level-pool.js";
import type { PooledAgent } from "./pooled-agent.js";
import { Prospect } from "./prospect.js";
import type { TypeSlot } from "./type-slot.js";

/**
 * Most candidates one strategy decision sees: the agents free the longest, then prospects
 * (agent types that could be spawned). Pools with fewer are always offered whole.
 */
export const MAX_CANDIDATES = 64;

/**
 * The candidates of one level's strategy decisions: the free agents that fit a request
 * (longest-free first) and prospects for the agent types that could be spawned for it. One
 * list is reused for every decision (no allocation per decision); the list a strategy sees is
 * valid only while its `select` runs.
 *
 * Per-type facts are kept by the type's position among the level's worker types (arrays, not
 * maps), and a prospect's id is made only if the strategy reads it, so a decision among
 * thousands of agent types costs a few field reads per type offered.
 */
export class Candidates {
  /** The current decision's candidates are `buffer[0 … count - 1]` (the buffer never shrinks). */
  private readonly buffer: AgentLoad[] = [];
  private count = 0;
  /**
   * Reused lists handed to strategies, by length (`views[n]` has `n` entries): V8 gives an
   * array emptied by `length = 0` a new backing store as it grows again, which cost a few
   * allocations per decision.
   */
  private readonly views: AgentLoad[][] = [];
  /** One prospect per worker type (by position), made the first time the type is offered. */
  private readonly prospects: (Prospect | undefined)[];
  /** Per worker type (by position): the decision in which an idle agent of that type was a candidate. */
  private readonly idleSeen: number[];
  private decision = 0;
  /** Worker types before this position have reached their maxInstances. */
  private typeHint = 0;
  /** After {@link Candidates.collectFree}: true when an idle agent is among the candidates. */
  idleCandidate = false;
  /** After {@link Candidates.collectFree}: an idle free agent that does not fit the request, if any. */
  idleOther: PooledAgent | null = null;

  /**
   * @param level - the level's name (for prospects)
   * @param workerTypes - the agent types that may be spawned at the level, in order
   * @param workerSlots - their shared states, position by position
   */
  constructor(
    private readonly level: string,
    private readonly workerTypes: readonly AgentType[],
    private readonly workerSlots: readonly TypeSlot[],
  ) {
    this.prospects = new Array<Prospect | undefined>(workerSlots.length).fill(undefined);
    this.idleSeen = new Array<number>(workerSlots.length).fill(0);
  }

  /**
   * Tells the candidates an instance of `slot`'s type went away: the type may be offered
   * again, so the exhausted-type hint moves back to it if it had passed it.
   */
  reopen(slot: TypeSlot): void {
    if (this.typeHint === 0) return;
    const i = this.workerSlots.lastIndexOf(slot, this.typeHint - 1);
    if (i >= 0) this.typeHint = i;
  }

  /** Number of candidates collected for the current decision. */
  get size(): number {
    return this.count;
  }

  /**
   * Starts a decision: collects the free agents of the request's role that fit it, at most
   * {@link MAX_CANDIDATES}, and sets {@link Candidates.idleCandidate} and {@link Candidates.idleOther}.
   *
   * @param free - the level's agents with a free slot, longest-free first
   */
  collectFree(request: LeaseRequest, free: ReadonlySet<PooledAgent>): void {
    const required = request.capabilities ?? request.task.capabilities;
    const worker = request.role === "worker";
    const buffer = this.buffer;
    let count = 0;
    const decision = ++this.decision;
    this.idleCandidate = false;
    this.idleOther = null;
    // A strategy sees at most MAX_CANDIDATES free agents, longest-free first (an agent that takes
    // its last free slot leaves the set and rejoins at the end): one decision stays cheap in a
    // pool of 10,000 agents, and the order itself rotates work through the pool.
    for (const a of free) {
      if (a.role !== request.role || (worker && !a.covers(required))) {
        if (this.idleOther === null && a.inFlight === 0) this.idleOther = a;
        continue;
      }
      buffer[count++] = a;
      if (a.inFlight === 0) {
        this.idleCandidate = true;
        if (a.typeIndex >= 0) this.idleSeen[a.typeIndex] = decision;
      }
      if (count === MAX_CANDIDATES) break;
    }
    this.count = count;
  }

  /**
   * Adds a prospect for each worker type that offers the request's capabilities, has not
   * reached its `maxInstances` and has no idle agent among the candidates, up to
   * {@link MAX_CANDIDATES} in all.
   */
  addProspects(request: LeaseRequest): void {
    const required = request.capabilities ?? request.task.capabilities;
    const buffer = this.buffer;
    let count = this.count;
    const decision = this.decision;
    const types = this.workerTypes;
    const slots = this.workerSlots;
    const idleSeen = this.idleSeen;
    // Types at the front that reached maxInstances are skipped until an instance goes away
    // (many single-agent types would otherwise make every decision scan all of them).
    while (this.typeHint < types.length && slots[this.typeHint]!.exhausts(types[this.typeHint]!))
      this.typeHint++;
    for (let i = this.typeHint; i < types.length && count < MAX_CANDIDATES; i++) {
      const type = types[i]!;
      if (idleSeen[i] === decision || slots[i]!.exhausts(type) || !offers(type, required)) continue;
      let prospect = this.prospects[i];
      if (prospect === undefined) {
        prospect = new Prospect(type, slots[i]!, i, this.level);
        this.prospects[i] = prospect;
      }
      buffer[count++] = prospect;
    }
    this.count = count;
  }

  /**
   * Ends the decision: the only candidate, or the one the request's strategy selects. The list
   * is cleared either way.
   *
   * @returns a free agent or a {@link Prospect}; call only when `size > 0`
   * @throws EchelonError `ECHELON_PLUGIN_HOOK_FAILED` when the strategy's `select` throws or
   *   returns no candidate's index
   */
  choose(request: LeaseRequest): AgentLoad {
    const count = this.count;
    let chosen: AgentLoad;
    if (count === 1) chosen = this.buffer[0]!;
    else {
      const view = this.view(count);
      try {
        chosen = this.buffer[this.select(request, view)]!;
      } finally {
        view.fill(NONE);
      }
    }
    this.clear();
    return chosen;
  }

  /** The reused list of length `count` holding the current candidates. */
  private view(count: number): AgentLoad[] {
    const buffer = this.buffer;
    let view = this.views[count];
    if (view === undefined) {
      view = buffer.slice(0, count);
      this.views[count] = view;
    } else {
      for (let i = 0; i < count; i++) view[i] = buffer[i]!;
    }
    return view;
  }

  /** Ends the decision, keeping no agent referenced from the buffer. */
  private clear(): void {
    this.buffer.fill(NONE, 0, this.count);
    this.count = 0;
  }

  /** Asks the request's strategy; a throw or an index that is no candidate's is the plugin's failure. */
  private select(request: LeaseRequest, candidates: readonly AgentLoad[]): number {
    const { value: strategy, plugin } = request.strategy;
    let chosen: unknown;
    try {
      chosen = strategy.select(request.task, candidates);
    } catch (error) {
      this.clear();
      throw hookFailed(plugin, "select", error, { strategy: strategy.name, nodePath: request.task.nodePath });
    }
    if (
      typeof chosen !== "number" ||
      !Number.isInteger(chosen) ||
      chosen < 0 ||
      chosen >= candidates.length
    ) {
      const count = candidates.length;
      this.clear();
      throw hookFailed(
        plugin,
        "select",
        `strategy "${strategy.name}" returned ${String(chosen)}, not the index of one of the ${count} candidates`,
        { strategy: strategy.name, nodePath: request.task.nodePath },
      );
    }
    return chosen;
  }
}

/** What a cleared buffer entry holds (keeps the buffer's elements of one kind). */
const NONE: AgentLoad = Object.freeze({
  agentId: "",
  agentType: "",
  level: "",
  capabilities: [],
  inFlight: 0,
  capacity: 1,
  completed: 0,
  busyMs: 0,
});

function offers(type: AgentType, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  const offered = type.capabilities;
  for (const c of required) if (!offered.includes(c)) return false;
  return true;
}
