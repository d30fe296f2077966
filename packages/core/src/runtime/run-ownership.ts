import { hostname } from "node:os";
import type { EventStore } from "../store/event-store.js";
import type { Logger } from "../util/logger.js";

/** A default owner id for this process: host, pid and a random suffix (two orchestrators in one process differ). */
export function defaultOwnerId(): string {
  return `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}

/** What {@link RunOwnership} needs. */
export interface OwnershipOptions {
  readonly store: EventStore | null;
  readonly owner: string;
  /** How long a lease lasts without renewal, ms; renewed every third of it. */
  readonly leaseTtlMs: number;
  /** How often the store is asked whether another process requested a cancel, ms. */
  readonly cancelPollMs: number;
  readonly logger: Logger;
}

/**
 * The orchestrator's side of a shared store: it holds a lease on every run it executes (so a
 * second process cannot run or resume the same run), renews the leases while the runs go on,
 * releases them at the end, and polls the store for cancel requests written by other processes
 * (`echelon cancel <id>`). With a store that has none of these hooks it does nothing.
 */
export class RunOwnership {
  private readonly held = new Map<string, () => void>();
  private renewTimer: ReturnType<typeof setInterval> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  constructor(private readonly options: OwnershipOptions) {}

  /** The owner id written into leases. */
  get owner(): string {
    return this.options.owner;
  }

  /**
   * Takes the lease on a run and starts watching for cancel requests of it.
   *
   * @param onCancelRequested - called (once) when another process asks to cancel the run
   * @throws EchelonError `ECHELON_STORE_LEASE_HELD` when another process owns the run
   */
  async claim(orchestrationId: string, onCancelRequested: () => void): Promise<void> {
    const { store, owner, leaseTtlMs } = this.options;
    if (store === null) return;
    if (store.claim !== undefined) await store.claim(orchestrationId, owner, leaseTtlMs);
    this.held.set(orchestrationId, onCancelRequested);
    this.startTimers();
  }

  /** Gives the lease up and stops watching the run. */
  async release(orchestrationId: string): Promise<void> {
    const { store, owner } = this.options;
    if (!this.held.delete(orchestrationId) || store === null) return;
    if (this.held.size === 0) this.stopTimers();
    try {
      await store.release?.(orchestrationId, owner);
    } catch (error) {
      this.options.logger.warn("lease release failed", { orchestrationId, message: String(error) });
    }
  }

  /** Stops every timer (shutdown). */
  close(): void {
    this.stopTimers();
    this.held.clear();
  }

  private startTimers(): void {
    const { store, leaseTtlMs, cancelPollMs } = this.options;
    if (store === null) return;
    if (this.renewTimer === null && store.claim !== undefined) {
      this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(leaseTtlMs / 3)));
      this.renewTimer.unref?.();
    }
    if (this.pollTimer === null && store.cancelRequested !== undefined) {
      this.pollTimer = setInterval(() => void this.poll(), cancelPollMs);
      this.pollTimer.unref?.();
    }
  }

  private stopTimers(): void {
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    this.renewTimer = null;
    this.pollTimer = null;
  }

  private async renew(): Promise<void> {
    const { store, owner, leaseTtlMs, logger } = this.options;
    for (const id of [...this.held.keys()]) {
      try {
        await store?.claim?.(id, owner, leaseTtlMs);
      } catch (error) {
        logger.error("lease renewal failed", { orchestrationId: id, message: String(error) });
      }
    }
  }

  private async poll(): Promise<void> {
    const store = this.options.store;
    if (this.polling || store?.cancelRequested === undefined) return;
    this.polling = true;
    try {
      for (const [id, cancel] of [...this.held]) {
        if (await store.cancelRequested(id)) {
          this.held.set(id, () => {});
          cancel();
        }
      }
    } catch (error) {
      this.options.logger.warn("cancel poll failed", { message: String(error) });
    } finally {
      this.polling = false;
    }
  }
}
