import type { AgentType } from "../agents/agent.js";
import type { AgentLoad, DistributionStrategy, TaskRequest } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { hookFailed, type Registered } from "../plugins/registrations.js";
import { abortError, onAbort } from "../util/abort.js";
import type { Logger } from "../util/logger.js";
import { type AgentRole, PooledAgent } from "./pooled-agent.js";
import { Prospect } from "./prospect.js";

/**
 * Most candidates one strategy decision sees: the agents free the longest, then prospects
 * (agent types that could be spawned). Pools with fewer are always offered whole.
 */
export const MAX_CANDIDATES = 64;

/** A request for a slot at a level. */
export interface LeaseRequest {
  readonly role: AgentRole;
  readonly task: TaskRequest;
  readonly strategy: Registered<DistributionStrategy>;
  readonly signal: AbortSignal;
  /** Called once if the request has to wait for a slot. */
  readonly onWait?: () => void;
}

interface Waiter {
  readonly request: LeaseRequest;
  resolve(agent: PooledAgent): void;
  reject(error: unknown): void;
  detach(): void;
}

/** Shared facts a level pool needs from its hierarchy. */
export interface PoolEnvironment {
  readonly logger: Logger;
  /** Instances alive per agent type name, across levels (for `maxInstances`). */
  readonly instances: Map<string, number>;
  /** A counter that grows whenever an instance goes away (retired, or failed to spawn). */
  released(): number;
  /** Records that an instance of `type` went away. */
  release(type: string): void;
  /** Makes a unique agent id for a new instance of `type`. */
  nextId(type: AgentType): string;
  /** The id the next instance of `type` will get (without taking it). */
  peekId(type: AgentType): string;
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
export class LevelPool {
  readonly agents: PooledAgent[] = [];
  /** Live agents with at least one free slot (kept in step with `agents`). */
  private readonly free = new Set<PooledAgent>();
  /** Worker types before this index have reached their maxInstances (valid for `typeHintVersion`). */
  private typeHint = 0;
  private typeHintVersion = -1;
  /** Reused candidate list (valid only during one strategy call). */
  private readonly scratch: AgentLoad[] = [];
  private readonly prospects = new Map<AgentType, Prospect>();
  /** Type name → number of the decision in which an idle agent of that type was a candidate. */
  private readonly idleSeen = new Map<string, number>();
  private decision = 0;
  private closed = false;
  /** Live agents, agents being spawned and retired agents whose work has not settled. */
  live = 0;
  peakLive = 0;
  /** Tasks running on workers of this level now, and the most seen at once. */
  workersInFlight = 0;
  peakWorkersInFlight = 0;
  private waiters: Waiter[] = [];
  private waitHead = 0;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly cap: number,
    private readonly workerTypes: readonly AgentType[],
    private readonly coordinatorType: AgentType,
    private readonly env: PoolEnvironment,
  ) {}

  /** Number of requests waiting for a slot. */
  get waiting(): number {
    return this.waiters.length - this.waitHead;
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
      if (granted instanceof Promise) return this.untilSpawned(granted, request.signal);
      if (granted !== null) return granted;
    }
    return new Promise<PooledAgent>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        resolve,
        reject,
        detach: onAbort(request.signal, () => {
          const i = this.waiters.indexOf(waiter, this.waitHead);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(abortError(request.signal));
        }),
      };
      this.waiters.push(waiter);
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
   * After an abort, the agent keeps its slot until its work settles. If it has not settled
   * within `graceMs` it ignored the abort: it is retired (disposed, its late answer discarded),
   * and its slot still counts against the cap until the work settles.
   */
  releaseWhenSettled(agent: PooledAgent, pending: Promise<unknown>, graceMs: number): void {
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled) this.retire(agent, `ignored an abort for more than ${graceMs} ms`, true);
    }, graceMs);
    timer.unref?.();
    const done = () => {
      settled = true;
      clearTimeout(timer);
      this.release(agent);
    };
    pending.then(done, done);
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

  /** Rejects every waiting request with `error`, and disposes agents whose spawn ends from now on. */
  close(error: EchelonError): void {
    this.closed = true;
    const pending = this.waiters.slice(this.waitHead);
    this.waiters = [];
    this.waitHead = 0;
    for (const w of pending) {
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
    else {
      this.live--;
      this.env.release(agent.typeName);
    }
    Promise.resolve()
      .then(() => agent.agent.dispose?.())
      .catch((error: unknown) =>
        this.env.logger.warn("agent dispose failed", { agentId: agent.agentId, message: String(error) }),
      );
  }

  private freeHeldSlot(agent: PooledAgent): void {
    agent.holdsSlot = false;
    this.live--;
    this.env.release(agent.typeName);
    this.drain();
  }

  private drain(): void {
    while (this.waiting > 0) {
      if (!this.hasRoom()) return;
      const index = this.pickWaiter();
      if (this.grantWaiter(index)) continue;
      // The chosen waiter cannot be served now; try the others once, in order.
      if (!this.serveAnyOther(index)) return;
    }
  }

  /** Tries to serve one waiter; true when it left the queue (served, or failed with the strategy's error). */
  private grantWaiter(index: number): boolean {
    const waiter = this.waiters[index]!;
    let granted: PooledAgent | Promise<PooledAgent> | null;
    try {
      granted = this.tryGrant(waiter.request);
    } catch (error) {
      this.removeWaiter(index);
      waiter.detach();
      waiter.reject(error);
      return true;
    }
    if (granted === null) return false;
    this.removeWaiter(index);
    waiter.detach();
    if (granted instanceof PooledAgent) waiter.resolve(granted);
    else this.untilSpawned(granted, waiter.request.signal).then(waiter.resolve, waiter.reject);
    return true;
  }

  private serveAnyOther(skip: number): boolean {
    for (let i = this.waitHead; i < this.waiters.length; i++) {
      if (i !== skip && this.grantWaiter(i)) return true;
    }
    return false;
  }

  private pickWaiter(): number {
    const first = this.waiters[this.waitHead]!;
    const { value: strategy, plugin } = first.request.strategy;
    if (strategy.nextWaiting === undefined || this.waiting === 1) return this.waitHead;
    const requests: TaskRequest[] = [];
    for (let i = this.waitHead; i < this.waiters.length; i++) requests.push(this.waiters[i]!.request.task);
    let chosen: number;
    try {
      chosen = strategy.nextWaiting(requests, performance.now());
    } catch (error) {
      this.env.logger.error("plugin hook failed; serving the oldest waiting task", {
        plugin,
        hook: "nextWaiting",
        message: error instanceof Error ? error.message : String(error),
      });
      return this.waitHead;
    }
    return Number.isInteger(chosen) && chosen >= 0 && chosen < requests.length
      ? this.waitHead + chosen
      : this.waitHead;
  }

  private removeWaiter(index: number): void {
    if (index === this.waitHead) {
      this.waiters[index] = undefined as unknown as Waiter;
      this.waitHead++;
      if (this.waitHead > 1024 && this.waitHead * 2 > this.waiters.length) {
        this.waiters = this.waiters.slice(this.waitHead);
        this.waitHead = 0;
      }
    } else {
      this.waiters.splice(index, 1);
    }
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
    const required = request.task.capabilities;
    const worker = request.role === "worker";
    const candidates = this.scratch;
    candidates.length = 0;
    const decision = ++this.decision;
    let idleCandidate = false;
    let idleOther: PooledAgent | null = null;
    // A strategy sees at most MAX_CANDIDATES free agents, longest-free first (an agent that takes
    // its last free slot leaves the set and rejoins at the end): one decision stays cheap in a
    // pool of 10,000 agents, and the order itself rotates work through the pool.
    for (const a of this.free) {
      if (a.role !== request.role || (worker && !a.covers(required))) {
        if (idleOther === null && a.inFlight === 0) idleOther = a;
        continue;
      }
      candidates.push(a);
      if (a.inFlight === 0) {
        idleCandidate = true;
        this.idleSeen.set(a.typeName, decision);
      }
      if (candidates.length === MAX_CANDIDATES) break;
    }
    const room = this.live < this.cap || idleOther !== null;
    if (!worker) {
      if (!idleCandidate && this.live < this.cap) return this.spawn(this.coordinatorType, "coordinator");
    } else if (room) {
      this.addProspects(request, decision, candidates);
    }
    if (candidates.length === 0) return null;
    const chosen = candidates.length === 1 ? candidates[0]! : candidates[this.choose(request, candidates)]!;
    candidates.length = 0;
    if (chosen instanceof Prospect) {
      if (this.live >= this.cap && idleOther !== null) {
        this.takeOutOfService(idleOther, "making room for another kind of agent", false);
      }
      return this.spawn(chosen.type, request.role);
    }
    this.grant(chosen as PooledAgent);
    return chosen as PooledAgent;
  }

  private addProspects(request: LeaseRequest, decision: number, candidates: AgentLoad[]): void {
    const required = request.task.capabilities;
    const types = this.workerTypes;
    // Types at the front that reached maxInstances are skipped until an instance goes away
    // (many single-agent types would otherwise make every decision scan all of them).
    if (this.typeHintVersion !== this.env.released()) {
      this.typeHint = 0;
      this.typeHintVersion = this.env.released();
    }
    while (this.typeHint < types.length && this.exhausted(types[this.typeHint]!)) this.typeHint++;
    for (let i = this.typeHint; i < types.length && candidates.length < MAX_CANDIDATES; i++) {
      const type = types[i]!;
      if (this.idleSeen.get(type.name) === decision) continue;
      if (this.exhausted(type) || !offers(type, required)) continue;
      let prospect = this.prospects.get(type);
      if (prospect === undefined) {
        prospect = new Prospect(type, this.name);
        this.prospects.set(type, prospect);
      }
      prospect.agentId = this.env.peekId(type);
      candidates.push(prospect);
    }
  }

  private exhausted(type: AgentType): boolean {
    return type.maxInstances !== undefined && (this.env.instances.get(type.name) ?? 0) >= type.maxInstances;
  }

  /** Asks the request's strategy; a throw or an index that is no candidate's is the plugin's failure. */
  private choose(request: LeaseRequest, candidates: readonly AgentLoad[]): number {
    const { value: strategy, plugin } = request.strategy;
    let chosen: unknown;
    try {
      chosen = strategy.select(request.task, candidates);
    } catch (error) {
      this.scratch.length = 0;
      throw hookFailed(plugin, "select", error, { strategy: strategy.name, nodePath: request.task.nodePath });
    }
    if (
      typeof chosen !== "number" ||
      !Number.isInteger(chosen) ||
      chosen < 0 ||
      chosen >= candidates.length
    ) {
      this.scratch.length = 0;
      throw hookFailed(
        plugin,
        "select",
        `strategy "${strategy.name}" returned ${String(chosen)}, not the index of one of the ${candidates.length} candidates`,
        { strategy: strategy.name, nodePath: request.task.nodePath },
      );
    }
    return chosen;
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

  /**
   * A spawning agent for one requester: rejects when the requester's signal aborts first (a
   * spawn that never settles cannot hold a cancel or a shutdown); an agent that arrives after
   * that is given back to the pool.
   */
  private untilSpawned(spawning: Promise<PooledAgent>, signal: AbortSignal): Promise<PooledAgent> {
    return new Promise<PooledAgent>((resolve, reject) => {
      let gaveUp = false;
      const off = onAbort(signal, () => {
        gaveUp = true;
        reject(abortError(signal));
      });
      spawning.then(
        (agent) => {
          off();
          if (gaveUp) this.release(agent);
          else resolve(agent);
        },
        (error: unknown) => {
          off();
          if (!gaveUp) reject(error);
        },
      );
    });
  }

  private spawn(type: AgentType, role: AgentRole): Promise<PooledAgent> {
    this.live++;
    if (this.live > this.peakLive) this.peakLive = this.live;
    this.env.instances.set(type.name, (this.env.instances.get(type.name) ?? 0) + 1);
    const id = this.env.nextId(type);
    return Promise.resolve()
      .then(() => type.spawn(id, { level: this.name, levelIndex: this.index, logger: this.env.logger }))
      .then((agent) => {
        if (!Number.isInteger(agent.capacity) || agent.capacity < 1) {
          throw new EchelonError(
            CoreErrorCode.CONFIG_INVALID,
            `Agent "${agent.id}" of type "${type.name}" has capacity ${String(agent.capacity)}; it must be a positive integer.`,
          );
        }
        const pooled = new PooledAgent(agent, role, this.name, this.index, type.name);
        if (this.closed) {
          // Spawned after shutdown: nobody will use it.
          this.live--;
          this.env.release(type.name);
          Promise.resolve()
            .then(() => agent.dispose?.())
            .catch(() => {});
          throw shutDown();
        }
        this.agents.push(pooled);
        this.env.onSpawned(pooled);
        this.grant(pooled);
        // A new agent with room for more work serves requests that queued while it spawned.
        if (pooled.inFlight < pooled.capacity && this.waiting > 0) queueMicrotask(() => this.drain());
        return pooled;
      })
      .catch((error: unknown) => {
        if (error instanceof EchelonError && error.code === CoreErrorCode.ORCHESTRATOR_SHUT_DOWN) throw error;
        this.live--;
        this.env.release(type.name);
        queueMicrotask(() => this.drain());
        throw error instanceof EchelonError
          ? error
          : new EchelonError(
              CoreErrorCode.TASK_FAILED,
              `Agent type "${type.name}" failed to spawn an agent at level ${this.name}: ${error instanceof Error ? error.message : String(error)}`,
              { cause: error, details: { agentType: type.name, level: this.name } },
            );
      });
  }
}

function offers(type: AgentType, required: readonly string[]): boolean {
  for (const c of required) if (!type.capabilities.includes(c)) return false;
  return true;
}

function shutDown(): EchelonError {
  return new EchelonError(CoreErrorCode.ORCHESTRATOR_SHUT_DOWN, "The orchestrator was shut down.");
}
