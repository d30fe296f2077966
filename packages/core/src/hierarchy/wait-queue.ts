import type { TaskRequest } from "../distribution/strategy.js";
import type { Logger } from "../util/logger.js";
import type { LeaseRequest } from "./level-pool.js";
import type { PooledAgent } from "./pooled-agent.js";

/** A request waiting for a slot, with how to settle it. */
export interface Waiter {
  readonly request: LeaseRequest;
  resolve(agent: PooledAgent): void;
  reject(error: unknown): void;
  /** Stops listening to the request's signal. */
  detach(): void;
}

/**
 * The requests waiting for a slot at one level, oldest first. The head is an index into an
 * array (served waiters leave a hole that is compacted once the array is mostly holes), so
 * serving the oldest waiter is O(1) with no copy. Positions (`head` … `end - 1`) stay valid
 * until the next removal.
 */
export class WaitQueue {
  private waiters: Waiter[] = [];
  private waitHead = 0;

  /** @param logger - where a failing `nextWaiting` hook is reported */
  constructor(private readonly logger: Logger) {}

  /** Number of waiting requests. */
  get size(): number {
    return this.waiters.length - this.waitHead;
  }

  /** Position of the oldest waiter. */
  get head(): number {
    return this.waitHead;
  }

  /** One past the position of the newest waiter. */
  get end(): number {
    return this.waiters.length;
  }

  /** The waiter at a position in `head` … `end - 1`. */
  at(index: number): Waiter {
    return this.waiters[index]!;
  }

  /** Adds a waiter at the end. */
  push(waiter: Waiter): void {
    this.waiters.push(waiter);
  }

  /** Removes a waiter that gave up (its signal aborted); nothing when it already left. */
  withdraw(waiter: Waiter): void {
    const i = this.waiters.indexOf(waiter, this.waitHead);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  /** Removes the waiter at a position (served, or failed). */
  remove(index: number): void {
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

  /** Empties the queue and returns what was waiting, oldest first. */
  takeAll(): Waiter[] {
    const pending = this.waiters.slice(this.waitHead);
    this.waiters = [];
    this.waitHead = 0;
    return pending;
  }

  /**
   * Which waiter the next free slot serves: the oldest one's strategy chooses with its
   * `nextWaiting` hook; without the hook, with one waiter, or when the hook throws (logged) or
   * answers no waiter's index, the oldest.
   *
   * @returns a position in `head` … `end - 1`; call only when not empty
   */
  pick(): number {
    const first = this.waiters[this.waitHead]!;
    const { value: strategy, plugin } = first.request.strategy;
    if (strategy.nextWaiting === undefined || this.size === 1) return this.waitHead;
    const requests: TaskRequest[] = [];
    for (let i = this.waitHead; i < this.waiters.length; i++) requests.push(this.waiters[i]!.request.task);
    let chosen: number;
    try {
      chosen = strategy.nextWaiting(requests, performance.now());
    } catch (error) {
      this.logger.error("plugin hook failed; serving the oldest waiting task", {
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
}
