import { CoreErrorCode, EchelonError } from "@echelon/core";
import { CliErrorCode } from "./errors.js";

/** An orchestration as a dashboard reports it (`GET /api/orchestrations/:id`). */
export interface RemoteStatus {
  /** The orchestration id. */
  readonly id: string;
  /** Id of the root task. */
  readonly taskId: string;
  /** `pending`, `running`, `paused`, `completed`, `failed` or `cancelled`. */
  readonly state: string;
  /** 0–100. */
  readonly progress: number;
  /** Time since it started, milliseconds. */
  readonly elapsedMs: number;
  /** Estimated time left, milliseconds; `null` while unknown. */
  readonly etaMs: number | null;
  /** Tasks in the plan (compensations included once they run). */
  readonly totalTasks: number;
  /** Patterns running right now. */
  readonly patterns: readonly string[];
}

/** Where a dashboard is and how to authenticate. */
export interface DashboardAddress {
  /** Base URL printed by `--dashboard`, e.g. `http://127.0.0.1:4321/`. */
  readonly url: string;
  /** Token, when the dashboard requires one. */
  readonly token?: string;
}

async function call(address: DashboardAddress, path: string, init: RequestInit): Promise<Response> {
  const base = address.url.endsWith("/") ? address.url : `${address.url}/`;
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    throw new EchelonError(
      CliErrorCode.OPTION_INVALID,
      `--url ${address.url} is not a URL. Pass the address --dashboard printed.`,
    );
  }
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (address.token !== undefined) headers.authorization = `Bearer ${address.token}`;
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new EchelonError(
      CliErrorCode.NOT_AVAILABLE,
      `No dashboard answers at ${base} (${error instanceof Error ? error.message : String(error)}). Is the run with --dashboard still going?`,
      { cause: error, details: { url: base } },
    );
  }
  if (res.status === 401 || res.status === 403) {
    throw new EchelonError(
      CliErrorCode.NOT_AVAILABLE,
      `The dashboard at ${base} refused the request (${res.status}). Pass --token if it has one.`,
      {
        details: { url: base, status: res.status },
      },
    );
  }
  return res;
}

function unknown(id: string, base: string): EchelonError {
  return new EchelonError(
    CoreErrorCode.ORCHESTRATION_UNKNOWN,
    `The dashboard at ${base} knows no orchestration "${id}". Check the id.`,
    {
      details: { orchestrationId: id },
    },
  );
}

/**
 * Asks a running dashboard (`echelon run … --dashboard` in another process) for the status of
 * an orchestration.
 *
 * @throws EchelonError `ECHELON_CLI_NOT_AVAILABLE` when nothing answers or access is refused;
 *   `ECHELON_ORCHESTRATION_UNKNOWN` for an id it does not know; `ECHELON_CLI_OPTION_INVALID` for a bad URL
 */
export async function remoteStatus(address: DashboardAddress, id: string): Promise<RemoteStatus> {
  const res = await call(address, `api/orchestrations/${encodeURIComponent(id)}`, { method: "GET" });
  if (res.status === 404) throw unknown(id, address.url);
  if (!res.ok)
    throw new EchelonError(CliErrorCode.NOT_AVAILABLE, `The dashboard answered ${res.status} for "${id}".`);
  const body = (await res.json()) as { orchestration: RemoteStatus };
  return body.orchestration;
}

/** What {@link remoteCancel} achieved. */
export type RemoteCancelOutcome =
  | {
      /** The dashboard accepted: the run is being cancelled. */
      readonly outcome: "requested";
    }
  | {
      /** The run had already finished; nothing was cancelled. */
      readonly outcome: "already-finished";
      /** Its final state: `completed`, `failed` or `cancelled`. */
      readonly state: string;
    };

function finishedState(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { finished?: unknown; state?: unknown };
    return parsed.finished === true && typeof parsed.state === "string" ? parsed.state : null;
  } catch {
    // Not the dashboard's JSON answer (an older dashboard, a proxy): not a "finished" answer.
    return null;
  }
}

/**
 * Asks a running dashboard to cancel an orchestration.
 *
 * @returns `requested`, or `already-finished` with the final state when the run had already
 *   finished (the dashboard answered 409 `{ finished: true, state }`)
 * @throws EchelonError as {@link remoteStatus}; `ECHELON_CLI_NOT_AVAILABLE` when the dashboard refuses otherwise
 * @example
 * ```ts
 * const answer = await remoteCancel({ url: "http://127.0.0.1:4321/" }, "long-run");
 * if (answer.outcome === "already-finished") console.log(`finished: ${answer.state}`);
 * ```
 */
export async function remoteCancel(address: DashboardAddress, id: string): Promise<RemoteCancelOutcome> {
  const res = await call(address, `api/orchestrations/${encodeURIComponent(id)}/cancel`, {
    method: "POST",
    headers: { "x-echelon-dashboard": "1" },
  });
  if (res.status === 404) throw unknown(id, address.url);
  if (res.ok) return { outcome: "requested" };
  const text = await res.text();
  const state = res.status === 409 ? finishedState(text) : null;
  if (state !== null) return { outcome: "already-finished", state };
  throw new EchelonError(
    CliErrorCode.NOT_AVAILABLE,
    `The dashboard could not cancel "${id}" (${res.status}): ${text}`,
  );
}

/**
 * One line describing a remote status.
 *
 * @param s - the status
 * @returns the text, newline included
 */
export function formatRemoteStatus(s: RemoteStatus): string {
  const eta = s.etaMs === null ? "?" : `${(s.etaMs / 1000).toFixed(1)} s`;
  const patterns = s.patterns.length > 0 ? `, running ${s.patterns.join(", ")}` : "";
  return `${s.id} (${s.taskId}): ${s.state} ${s.progress.toFixed(0)} % of ${s.totalTasks} tasks, elapsed ${(s.elapsedMs / 1000).toFixed(1)} s, ETA ${eta}${patterns}\n`;
}
