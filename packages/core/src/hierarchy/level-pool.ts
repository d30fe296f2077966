import type { AgentType } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { DistributionStrategy, TaskRequest } from "../distribution/strategy.js";
import { abortError, onAbort } from "../util/abort.js";
import type { Logger } from "../util/logger.js";
import { type AgentRole, PooledAgent } from "./pooled-agent.js";

/**
 * Most candidates one strategy decision sees: the agents free the longest. Pools with fewer
 * free agents are always offered whole.
 */
export const MAX_CANDIDATES = 64;

/** A request for a slot at a level. */
export interface LeaseRequest {
  readonly role: AgentRole;
  readonly task: TaskRequest;
  readonly strategy: DistributionStrategy;
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
  /** Called when an agent is spawned or retired. */
  onSpawned(agent: PooledAgent): void;
  onRetired(agent: PooledAgent, reason: string): void;
}

/**
 * The agents of one level and the tasks waiting for them. Live agents never exceed `cap`;
 * agents are spawned lazily (only when no idle agent fits), reused while idle, and an idle
 * agent of another kind is retired to make room when the level is full.
 */
export class LevelPool {
  readonly agents: PooledAgent[] = [];
  /** Live agents with at least one free slot (kept in step with `agents`). */
  private readonly free = new Set<PooledAgent>();
  /** Worker types before this index have reached their maxInstances (valid for `typeHintVersion`). */
  private typeHint = 0;
  private typeHintVersion = -1;
  /** Reused candidate list (valid only during one strategy call). */
  private readonly scratch: PooledAgent[] = [];
  /** Live agents plus agents being spawned. */
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
   */
  lease(request: LeaseRequest): PooledAgent | Promise<PooledAgent> {
    if (request.signal.aborted) return Promise.reject(abortError(request.signal));
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
    if (agent.retired) return;
    this.free.add(agent);
    if (agent.role === "worker") this.workersInFlight--;
    this.drain();
  }

  /**
   * Takes an agent out of service (its slot no longer counts against the cap) and disposes it.
   * Used for agents that ignored an abort past the grace period, and on shutdown.
   */
  retire(agent: PooledAgent, reason: string): void {
    this.takeOutOfService(agent, reason);
    this.drain();
  }

  private takeOutOfService(agent: PooledAgent, reason: string): void {
    if (agent.retired) return;
    agent.retired = true;
    if (agent.role === "worker" && agent.inFlight > 0) this.workersInFlight -= agent.inFlight;
    const i = this.agents.indexOf(agent);
    if (i >= 0) this.agents.splice(i, 1);
    this.free.delete(agent);
    this.live--;
    const type = agent.typeName;
    this.env.release(type);
    this.env.onRetired(agent, reason);
    Promise.resolve()
      .then(() => agent.agent.dispose?.())
      .catch((error: unknown) =>
        this.env.logger.warn("agent dispose failed", { agentId: agent.agentId, message: String(error) }),
      );
  }

  /** Rejects every waiting request with `error` (shutdown). */
  rejectAll(error: EchelonError): void {
    const pending = this.waiters.slice(this.waitHead);
    this.waiters = [];
    this.waitHead = 0;
    for (const w of pending) {
      w.detach();
      w.reject(error);
    }
  }

  private drain(): void {
    while (this.waiting > 0) {
      if (!this.hasRoom()) return;
      const index = this.pickWaiter();
      const waiter = this.waiters[index]!;
      const granted = this.tryGrant(waiter.request);
      if (granted === null) {
        // The chosen waiter cannot be served now; try the others once, in order.
        if (!this.serveAnyOther(index)) return;
        continue;
      }
      this.removeWaiter(index);
      waiter.detach();
      if (granted instanceof PooledAgent) waiter.resolve(granted);
      else granted.then(waiter.resolve, waiter.reject);
    }
  }

  private serveAnyOther(skip: number): boolean {
    for (let i = this.waitHead; i < this.waiters.length; i++) {
      if (i === skip) continue;
      const waiter = this.waiters[i]!;
      const granted = this.tryGrant(waiter.request);
      if (granted === null) continue;
      this.removeWaiter(i);
      waiter.detach();
      if (granted instanceof PooledAgent) waiter.resolve(granted);
      else granted.then(waiter.resolve, waiter.reject);
      return true;
    }
    return false;
  }

  private pickWaiter(): number {
    const first = this.waiters[this.waitHead]!;
    const nextWaiting = first.request.strategy.nextWaiting;
    if (nextWaiting === undefined || this.waiting === 1) return this.waitHead;
    const requests: TaskRequest[] = [];
    for (let i = this.waitHead; i < this.waiters.length; i++) requests.push(this.waiters[i]!.request.task);
    const chosen = nextWaiting.call(first.request.strategy, requests, performance.now());
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
   * Grants a slot now if possible: an existing agent with a free slot (chosen by the
   * strategy), a new agent when none is idle and the cap allows, or a new agent in place of
   * an idle agent of another kind.
   *
   * @returns the agent, a promise of a spawning agent, or `null` when the request must wait
   */
  private tryGrant(request: LeaseRequest): PooledAgent | Promise<PooledAgent> | null {
    const required = request.task.capabilities;
    const candidates = this.scratch;
    candidates.length = 0;
    let idleCandidate = false;
    // Only agents with a free slot are candidates, longest-free first (an agent that takes its
    // last free slot leaves the set and rejoins at the end). A strategy sees at most
    // MAX_CANDIDATES of them, so one decision stays cheap in a pool of 10,000 agents, and the
    // order itself rotates work through the whole pool.
    for (const a of this.free) {
      if (a.role !== request.role) continue;
      if (request.role === "worker" && !a.covers(required)) continue;
      candidates.push(a);
      if (a.inFlight === 0) idleCandidate = true;
      if (candidates.length === MAX_CANDIDATES) break;
    }
    if (!idleCandidate) {
      const type = this.live < this.cap ? this.spawnableType(request) : null;
      if (type !== null) return this.spawn(type, request.role);
    }
    if (candidates.length > 0) {
      const chosen = candidates.length === 1 ? 0 : request.strategy.select(request.task, candidates);
      const agent =
        candidates[Number.isInteger(chosen) && chosen >= 0 && chosen < candidates.length ? chosen : 0]!;
      this.grant(agent);
      return agent;
    }
    if (this.live >= this.cap) {
      const type = this.spawnableType(request);
      let idleOther: PooledAgent | undefined;
      if (type !== null) {
        for (const a of this.free) {
          if (a.inFlight === 0) {
            idleOther = a;
            break;
          }
        }
      }
      if (type !== null && idleOther !== undefined) {
        this.takeOutOfService(idleOther, "making room for another kind of agent");
        return this.spawn(type, request.role);
      }
    }
    return null;
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

  private spawnableType(request: LeaseRequest): AgentType | null {
    if (request.role === "coordinator") return this.coordinatorType;
    const required = request.task.capabilities;
    const types = this.workerTypes;
    const exhausted = (t: AgentType) =>
      t.maxInstances !== undefined && (this.env.instances.get(t.name) ?? 0) >= t.maxInstances;
    // Types at the front that reached maxInstances are skipped until an instance goes away
    // (many single-agent types would otherwise make every spawn scan all of them).
    if (this.typeHintVersion !== this.env.released()) {
      this.typeHint = 0;
      this.typeHintVersion = this.env.released();
    }
    while (this.typeHint < types.length && exhausted(types[this.typeHint]!)) this.typeHint++;
    for (let i = this.typeHint; i < types.length; i++) {
      const t = types[i]!;
      if (!required.every((c) => t.capabilities.includes(c))) continue;
      if (exhausted(t)) continue;
      return t;
    }
    return null;
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
            CoreErrorCode.INVALID_CONFIG,
            `Agent "${agent.id}" of type "${type.name}" has capacity ${String(agent.capacity)}; it must be a positive integer.`,
          );
        }
        const pooled = new PooledAgent(agent, role, this.name, this.index, type.name);
        this.agents.push(pooled);
        this.env.onSpawned(pooled);
        this.grant(pooled);
        // A new agent with room for more work serves requests that queued while it spawned.
        if (pooled.inFlight < pooled.capacity && this.waiting > 0) queueMicrotask(() => this.drain());
        return pooled;
      })
      .catch((error: unknown) => {
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
