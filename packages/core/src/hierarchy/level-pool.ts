import type { AgentType } from "../agents/agent.js";
import type { DistributionStrategy, TaskRequest } from "../distribution/strategy.js";
import type { EchelonError } from "../errors/echelon-error.js";
import type { Registered } from "../plugins/registrations.js";
import { abortError, onAbort } from "../util/abort.js";
import type { Logger } from "../util/logger.js";
import { disposeLater, type SpawnHost, shutDown, spawnAgent } from "./agent-spawn.js";
import { Candidates } from "./candidates.js";
import { type AgentRole, PooledAgent } from "./pooled-agent.js";
import { Prospect } from "./prospect.js";
import type { TypeSlot } from "./type-slot.js";
import { WaitQueue, type Waiter } from "./wait-queue.js";

/** A request for a slot at a level. */
export interface LeaseRequest {
  readonly role: AgentRole;
  readonly task: TaskRequest;
  /**
   * The task's required capabilities when the request has them without its `task` (a leaf makes
   * its task request only when a strategy is asked); default `task.capabilities`.
   */
  readonly capabilities?: readonly string[];
  readonly strategy: Registered<DistributionStrategy>;
  readonly signal: AbortSignal;
  /** Called once if the request has to wait for a slot. */
  readonly onWait?: () => void;
}

/** Shared facts a level pool needs from its hierarchy. */
export interface PoolEnvironment {
  readonly logger: Logger;
  /** The shared state (instances across levels, ids) of the agent type named `name`. */
  slot(name: string): TypeSlot;
  /** Records that an instance of `slot`'s type went away; every level may offer the type again. */
  release(slot: TypeSlot): void;
  /** Called when an agent is spawned or retired. */
  onSpawned(agent: PooledAgent): void;
  onRetired(agent: PooledAgent, reason: string): void;
}

/**
 * The agents of one level and the tasks waiting for them. Live agents never exceed `cap`, and
 * an agent taken out of service while its work has not settled keeps its slot until it does,
 * so the cap bounds the executions really running. Agents are spawned lazily; the request's
 * strategy chooses among the free agents *and* the agent types that could be spawned
 * (prospects), so it decides which type to spawn too.
 */
export class LevelPool implements SpawnHost {
  readonly agents: PooledAgent[] = [];
  /** Live agents with at least one free slot (kept in step with `agents`). */
  private readonly free = new Set<PooledAgent>();
  private readonly candidates: Candidates;
  private readonly queue: WaitQueue;
  private readonly coordinatorSlot: TypeSlot;
  /** True once shut down (see {@link LevelPool.close}). */
  closed = false;
  /** Live agents, agents being spawned and retired agents whose work has not settled. */
  live = 0;
  peakLive = 0;
  /** Tasks running on workers of this level now, and the most seen at once. */
  workersInFlight = 0;
  peakWorkersInFlight = 0;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly cap: number,
    private readonly workerTypes: readonly AgentType[],
    private readonly coordinatorType: AgentType,
    private readonly env: PoolEnvironment,
  ) {
    this.candidates = new Candidates(
      name,
      workerTypes,
      workerTypes.map((t) => env.slot(t.name)),
    );
    this.coordinatorSlot = env.slot(coordinatorType.name);
    this.queue = new WaitQueue(env.logger);
  }

  /** Number of requests waiting for a slot. */
  get waiting(): number {
    return this.queue.size;
  }

  /** True when some worker type of this level offers `capabilities`. */
  canServe(capabilities: readonly string[]): boolean {
    return this.workerTypes.some((t) => capabilities.every((c) => t.capabilities.includes(c)));
  }

  /**
   * Resolves with an agent holding one slot for the request, waiting when the level is full.
   *
   * @throws EchelonError `ECHELON_CANCELLED` (or the signal's reason) when the signal aborts while waiting
   */
  acquire(request: LeaseRequest): Promise<PooledAgent> {
    const lease = this.lease(request);
    return lease instanceof PooledAgent ? Promise.resolve(lease) : lease;
  }

  /**
   * Like {@link LevelPool.acquire}, but returns the agent itself (no promise) when a slot is
   * free right now — the hot path of leaf dispatch.
   *
   * @throws EchelonError `ECHELON_PLUGIN_HOOK_FAILED` when the strategy's `select` throws or returns no candidate's index
   */
  lease(request: LeaseRequest): PooledAgent | Promise<PooledAgent> {
    if (request.signal.aborted) return Promise.reject(abortError(request.signal));
    if (this.closed) return Promise.reject(shutDown());
    if (this.waiting === 0) {
      const granted = this.tryGrant(request);
      if (granted !== null) return granted;
    }
    return new Promise<PooledAgent>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        resolve,
        reject,
        detach: onAbort(request.signal, () => {
          this.queue.withdraw(waiter);
          reject(abortError(request.signal));
        }),
      };
      this.queue.push(waiter);
      request.onWait?.();
    });
  }

  /** Gives a slot back and serves waiting requests. */
  release(agent: PooledAgent, now: number = performance.now()): void {
    agent.end(now);
    if (agent.retired) {
      // A retired agent keeps its slot until its last execution settles.
      if (agent.inFlight === 0 && agent.holdsSlot) this.freeHeldSlot(agent);
      return;
    }
    this.free.add(agent);
    if (agent.role === "worker") this.workersInFlight--;
    this.drain();
  }

  /**
   * Takes an agent out of service and disposes it. With `holdSlot`, its slot keeps counting
   * against the cap until its executions settle (an agent that ignored an abort); otherwise the
   * slot is free at once.
   */
  retire(agent: PooledAgent, reason: string, holdSlot = false): void {
    this.takeOutOfService(agent, reason, holdSlot && agent.inFlight > 0);
    this.drain();
  }

  /** Tells the level that `slot`'s type lost an instance (it may be offered again). */
  reopen(slot: TypeSlot): void {
    this.candidates.reopen(slot);
  }

  /** Rejects every waiting request with `error`, and disposes agents whose spawn ends from now on. */
  close(error: EchelonError): void {
    this.closed = true;
    for (const w of this.queue.takeAll()) {
      w.detach();
      w.reject(error);
    }
  }

  private takeOutOfService(agent: PooledAgent, reason: string, holdSlot: boolean): void {
    if (agent.retired) return;
    agent.retired = true;
    if (agent.role === "worker" && agent.inFlight > 0) this.workersInFlight -= agent.inFlight;
    const i = this.agents.indexOf(agent);
    if (i >= 0) this.agents.splice(i, 1);
    this.free.delete(agent);
    this.env.onRetired(agent, reason);
    if (holdSlot) agent.holdsSlot = true;
    else this.freeSlot(agent.slot);
    disposeLater(agent.agent, agent.agentId, this.env.logger);
  }

  /** One live agent (or spawn) of `slot`'s type less. */
  private freeSlot(slot: TypeSlot): void {
    this.live--;
    this.env.release(slot);
  }

  private freeHeldSlot(agent: PooledAgent): void {
    agent.holdsSlot = false;
    this.freeSlot(agent.slot);
    this.drain();
  }

  private drain(): void {
    while (this.waiting > 0) {
      if (!this.hasRoom()) return;
      const index = this.queue.pick();
      if (this.grantWaiter(index)) continue;
      // The chosen waiter cannot be served now; try the others once, in order.
      if (!this.serveAnyOther(index)) return;
    }
  }

  /** Tries to serve one waiter; true when it left the queue (served, or failed with the strategy's error). */
  private grantWaiter(index: number): boolean {
    const waiter = this.queue.at(index);
    let granted: PooledAgent | Promise<PooledAgent> | null;
    try {
      granted = this.tryGrant(waiter.request);
    } catch (error) {
      this.queue.remove(index);
      waiter.detach();
      waiter.reject(error);
      return true;
    }
    if (granted === null) return false;
    this.queue.remove(index);
    waiter.detach();
    if (granted instanceof PooledAgent) waiter.resolve(granted);
    else granted.then(waiter.resolve, waiter.reject);
    return true;
  }

  private serveAnyOther(skip: number): boolean {
    for (let i = this.queue.head; i < this.queue.end; i++) {
      if (i !== skip && this.grantWaiter(i)) return true;
    }
    return false;
  }

  /** Cheap check: can any request possibly be granted now? */
  private hasRoom(): boolean {
    return this.live < this.cap || this.free.size > 0;
  }

  /**
   * Grants a slot now if possible. Candidates are the free agents that fit (longest-free
   * first) and, while the level has room (or an idle agent of another kind could make room), a
   * prospect for each agent type that fits and has no idle agent among the candidates. The
   * strategy chooses; a chosen prospect is spawned.
   *
   * @returns the agent, a promise of a spawning agent, or `null` when the request must wait
   */
  private tryGrant(request: LeaseRequest): PooledAgent | Promise<PooledAgent> | null {
    const worker = request.role === "worker";
    const candidates = this.candidates;
    candidates.collectFree(request, this.free);
    const idleOther = candidates.idleOther;
    const room = this.live < this.cap || idleOther !== null;
    if (!worker) {
      // No idle coordinator: spawn one while the level has room, or in place of an idle worker
      // (a level full of idle workers must not keep a coordinator waiting for ever).
      if (!candidates.idleCandidate && room) {
        if (this.live >= this.cap && idleOther !== null) {
          this.takeOutOfService(idleOther, "making room for another kind of agent", false);
        }
        return this.spawn(this.coordinatorType, this.coordinatorSlot, -1, request);
      }
    } else if (room) {
      candidates.addProspects(request);
    }
    if (candidates.size === 0) return null;
    const chosen = candidates.choose(request);
    if (chosen instanceof Prospect) {
      if (this.live >= this.cap && idleOther !== null) {
        this.takeOutOfService(idleOther, "making room for another kind of agent", false);
      }
      return this.spawn(chosen.type, chosen.slot, chosen.typeIndex, request);
    }
    this.grant(chosen as PooledAgent);
    return chosen as PooledAgent;
  }

  private grant(agent: PooledAgent): void {
    agent.begin(performance.now());
    if (agent.inFlight >= agent.capacity) this.free.delete(agent);
    else this.free.add(agent);
    if (agent.role === "worker") {
      this.workersInFlight++;
      if (this.workersInFlight > this.peakWorkersInFlight) this.peakWorkersInFlight = this.workersInFlight;
    }
  }

  /** Spawns an agent of `type` for one requester, taking a slot at once (see {@link spawnAgent}). */
  private spawn(
    type: AgentType,
    slot: TypeSlot,
    typeIndex: number,
    request: LeaseRequest,
  ): PooledAgent | Promise<PooledAgent> {
    this.live++;
    if (this.live > this.peakLive) this.peakLive = this.live;
    return spawnAgent(this, type, slot, typeIndex, request);
  }

  /** {@link SpawnHost}: takes a spawned agent into the pool with one slot granted. */
  adopt(agent: PooledAgent): void {
    this.agents.push(agent);
    this.env.onSpawned(agent);
    this.grant(agent);
    // A new agent with room for more work serves requests that queued while it spawned.
    if (agent.inFlight < agent.capacity && this.waiting > 0) queueMicrotask(() => this.drain());
  }

  /** {@link SpawnHost}: a spawn failed or its agent was refused; its slot is free again. */
  spawnFailed(slot: TypeSlot, serveWaiting: boolean): void {
    this.freeSlot(slot);
    if (serveWaiting) queueMicrotask(() => this.drain());
  }

  /** {@link SpawnHost}: the level's logger. */
  get logger(): Logger {
    return this.env.logger;
  }
}
