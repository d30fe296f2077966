import { EchelonError, type EventStore, type Logger, silentLogger } from "@echelon/core";
import { checkIntInRange, checkPositiveInt, invalidOption, MonitoringErrorCode } from "../errors.js";
import type { Monitor } from "../monitor.js";
import type { MonitoredOrchestrator } from "../source.js";
import { isLoopback } from "./auth.js";

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The orchestrator to show and to cancel through. */
  readonly orchestrator: MonitoredOrchestrator;
  /** TCP port; 0 (default) picks a free one (read it from `url`). */
  readonly port?: number;
  /** Address to bind. Default `127.0.0.1`. Anything but loopback requires `token`. */
  readonly host?: string;
  /** Shared secret required on every request (header `Authorization: Bearer <token>` or `?token=`). At least 16 characters. */
  readonly token?: string;
  /** A monitor to reuse; by default one is created on the orchestrator (and closed with the dashboard). */
  readonly monitor?: Monitor;
  /** How often batched updates are pushed to browsers, milliseconds. Default 250. */
  readonly flushMs?: number;
  /**
   * The journal (any core `EventStore`: `MemoryEventStore`, `SqliteEventStore`, …) whose runs
   * the page also lists and opens: runs of earlier processes, and runs of other processes
   * sharing it. Default `orchestrator.eventStore`; `null` shows only what the monitor saw.
   * Only the `EventStore` contract is used: `summaries` (to list; without it nothing is listed
   * from the journal), `read` (to open a run) and `requestCancel` (to cancel a run another
   * process runs).
   */
  readonly store?: EventStore | null;
  /**
   * Most runs `/api/state` lists, newest first, live and journaled together, 1 to 1,000.
   * Default 50. Unfinished runs of this process are listed even beyond it (they can be cancelled).
   */
  readonly historyLimit?: number;
  /** How long the journal's list is reused before the store is asked again, milliseconds (1 to 3,600,000). Default 2,000. */
  readonly historyRefreshMs?: number;
  /** Where server errors are logged. */
  readonly logger?: Logger;
}

/** @internal {@link DashboardOptions} checked, with their defaults. */
export interface DashboardSettings {
  readonly orchestrator: MonitoredOrchestrator;
  readonly port: number;
  readonly host: string;
  readonly token: string | undefined;
  readonly flushMs: number;
  readonly store: EventStore | null;
  readonly historyLimit: number;
  readonly historyRefreshMs: number;
  readonly logger: Logger;
}

/**
 * @internal Checks the options of `startDashboard`.
 *
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` naming the option (`details.option`)
 * @throws EchelonError `ECHELON_DASHBOARD_TOKEN_REQUIRED` for a non-loopback host without a token
 */
export function dashboardSettings(options: DashboardOptions): DashboardSettings {
  const where = "startDashboard";
  const { orchestrator } = options;
  if (!orchestrator || typeof orchestrator.cancelOrchestration !== "function") {
    invalidOption(where, "orchestrator", "an orchestrator", orchestrator);
  }
  const host = options.host ?? "127.0.0.1";
  const token = options.token;
  if (token !== undefined && (typeof token !== "string" || token.length < 16)) {
    invalidOption(where, "token", "a string of at least 16 characters", token);
  }
  if (!isLoopback(host) && token === undefined) {
    throw new EchelonError(
      MonitoringErrorCode.TOKEN_REQUIRED,
      `startDashboard: binding "${host}" exposes the dashboard beyond this machine; pass a "token" (e.g. randomBytes(24).toString("hex")) or bind 127.0.0.1.`,
      { details: { host } },
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    invalidOption(where, "port", "an integer 0–65535", port);
  checkPositiveInt(where, "flushMs", options.flushMs);
  checkIntInRange(where, "historyLimit", options.historyLimit, 1, 1_000);
  checkIntInRange(where, "historyRefreshMs", options.historyRefreshMs, 1, 3_600_000);
  const given: unknown = options.store;
  if (given !== undefined && given !== null && !isEventStore(given)) {
    invalidOption(where, "store", "an EventStore (an object with read(id)) or null", given);
  }
  // The orchestrator's own journal, when it has one (a test double or a proxy may not).
  const own = orchestrator.eventStore;
  const store = options.store !== undefined ? options.store : isEventStore(own) ? own : null;
  return {
    orchestrator,
    port,
    host,
    token,
    flushMs: options.flushMs ?? 250,
    store,
    historyLimit: options.historyLimit ?? 50,
    historyRefreshMs: options.historyRefreshMs ?? 2_000,
    logger: options.logger ?? silentLogger,
  };
}

function isEventStore(value: unknown): value is EventStore {
  return typeof value === "object" && value !== null && typeof (value as EventStore).read === "function";
}
