import { hostname } from "node:os";
import { CoreErrorCode } from "../errors/codes.js";
import { isEchelonError } from "../errors/echelon-error.js";
import type { EventStore } from "../store/event-store.js";
import type { Logger } from "../util/logger.js";

/** The reason of a cancel that another process requested through the store. */
export const CANCEL_REQUESTED_REASON = "Cancelled by a request from another process.";

/** A default owner id for this process: host, pid and a random suffix (two orchestrators in one process differ). */
export function defaultOwnerId(): string {
  return `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * True when `owner` is a default owner id (`host:pid:suffix`) of a
 * process on this host that no longer exists, so its leases can be taken over at once. False
 * for any other id, another host, this process, or a process that exists (even another user's).
 *
 * @param owner - a lease owner id
 */
export function isOwnerProcessGone(owner: string): boolean {
  const match = /^(.*):(\d+):[0-9a-f]{8}$/.exec(owner);
  if (match === null || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
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
   * @param onCancelRequested - called (once) when another process asks to cancel the run later
   * @returns true when a cancel of the run was already requested (by a process that wrote it
   *   while no process held the run, or before the holder died and saw it): the caller cancels
   *   the run before it starts any work, and `onCancelRequested` is never called
   * @throws EchelonError `ECHELON_STORE_LEASE_HELD` when another process owns the run
   */
  async claim(orchestrationId: string, onCancelRequested: () => void): Promise<boolean> {
    const { store } = this.options;
    if (store === null) return false;
    if (store.claim !== undefined) await this.claimOrTakeOver(store, orchestrationId);
    let requested = false;
    try {
      requested = (await store.cancelRequested?.(orchestrationId)) ?? false;
    } catch (error) {
      this.options.logger.warn("cancel poll failed", { orchestrationId, message: String(error) });
    }
    this.held.set(orchestrationId, requested ? () => {} : onCancelRequested);
    this.startTimers();
    return requested;
  }

  /** Claims the lease; when a dead process on this host holds it, takes it over from that process. */
  private async claimOrTakeOver(store: EventStore, orchestrationId: string): Promise<void> {
    const { owner, leaseTtlMs, logger } = this.options;
    try {
      await store.claim?.(orchestrationId, owner, leaseTtlMs);
    } catch (error) {
      const holder = isEchelonError(error, CoreErrorCode.STORE_LEASE_HELD) ? error.details?.owner : undefined;
      if (typeof holder !== "string" || !isOwnerProcessGone(holder)) throw error;
      logger.info("took over the lease of a process that is gone", { orchestrationId, from: holder });
      await store.claim?.(orchestrationId, owner, leaseTtlMs, { takeOverFrom: holder });
    }
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
