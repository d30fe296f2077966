import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EchelonError, isEchelonError } from "@echelon/core";
import { MonitoringErrorCode } from "../errors.js";
import { createMonitor, type Monitor } from "../monitor.js";
import { hostHeaderAllowed, requestToken, TOKEN_COOKIE, tokenMatches } from "./auth.js";
import { cancelOrchestration, unknownOrchestration } from "./cancel.js";
import { JournalHistory } from "./journal.js";
import { type DashboardOptions, dashboardSettings } from "./options.js";
import { dashboardPage } from "./page.js";
import { BatchPublisher } from "./publisher.js";
import { DashboardRuns } from "./runs.js";
import { overview } from "./views.js";

export type { DashboardOptions } from "./options.js";

/** A running dashboard. */
export interface Dashboard {
  /** Base URL, e.g. `http://127.0.0.1:4321/` (without the token). */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The monitor behind the page. */
  readonly monitor: Monitor;
  /** Stops the server, ends live streams and (if it created it) closes the monitor. */
  close(): Promise<void>;
}

/**
 * Serves the live dashboard: one self-contained page (hierarchy tree with live node states,
 * utilisation per level, throughput and overhead over time, recent events, a cancel button
 * per running orchestration), fed by Server-Sent Events in batches. Binds 127.0.0.1 by
 * default; any other address requires a token, checked in constant time on every request
 * (page, API, event stream, cancel).
 *
 * With a journal (the `store` option, by default `orchestrator.eventStore`; any core
 * `EventStore`) `/api/state` merges the monitor's runs with the journal's newest: runs that
 * finished before this process started, runs of other processes sharing the journal, and runs
 * left `running` by a process that crashed (`orphaned: true`). Each line has `source: "live"`
 * (this monitor saw it; its view wins for a run both know) or `source: "journal"`; the list is
 * newest first and holds at most `historyLimit` runs (unfinished live runs are kept beyond it).
 * Opening a journal run folds its events with core's `replayOrchestration`: state, progress,
 * the node tree and, once it ended, `outcome` (`{ success, result, error }`). Cancelling a run
 * that another process runs writes a cancel request into the journal (`requestCancel`), which
 * that process polls.
 *
 * Routes: `GET /`, `GET /api/state`, `GET /api/events` (SSE), `GET /api/orchestrations/:id`,
 * `POST /api/orchestrations/:id/cancel` (needs header `x-echelon-dashboard: 1`; answers 202
 * `{ cancelled: id }` when this process cancelled the run, 202 `{ requested: true, via:
 * "journal", owner }` when the request went through the journal, 404
 * (`ECHELON_ORCHESTRATION_UNKNOWN`) for an unknown id, and 409 `{ error, code:
 * "ECHELON_DASHBOARD_RUN_FINISHED", orchestrationId, state, finished: true }` when the run had
 * already finished). Malformed ids answer 400 (`ECHELON_DASHBOARD_ID_MALFORMED`); a failing
 * journal answers 500 (`ECHELON_DASHBOARD_JOURNAL_FAILED`) where only the journal could answer,
 * while `/api/state` still lists the monitor's runs, with the problem under `journal`.
 *
 * @param options - orchestrator, port, host, token, store and history bounds
 * @returns the running dashboard
 * @throws EchelonError `ECHELON_DASHBOARD_TOKEN_REQUIRED` for a non-loopback host without a token
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` for a bad port, token, flush interval, `store`, `historyLimit` or `historyRefreshMs`
 * @throws EchelonError `ECHELON_DASHBOARD_LISTEN_FAILED` when the port cannot be bound
 * @example
 * ```ts
 * const store = new SqliteEventStore({ path: ".echelon/echelon.db" });
 * const orchestrator = new HierarchicalOrchestrator({ eventStore: store, agents });
 * // Lists this process's runs and the journal's 100 newest (other processes' too).
 * const dashboard = await startDashboard({ orchestrator, store, historyLimit: 100 });
 * logger.info(`dashboard at ${dashboard.url}`);
 * ```
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { orchestrator, host, port, token, logger, store, ...settings } = dashboardSettings(options);
  const ownMonitor = options.monitor === undefined;
  const monitor = options.monitor ?? createMonitor({ orchestrator });
  const journal =
    store === null
      ? null
      : new JournalHistory({
          store,
          limit: settings.historyLimit,
          refreshMs: settings.historyRefreshMs,
          logger,
        });
  const runs = new DashboardRuns({ monitor, journal, limit: settings.historyLimit, logger });
  const publisher = new BatchPublisher(monitor, settings.flushMs, (known) => runs.changedJournalViews(known));
  let boundPort = port;

  const state = async () => {
    const { orchestrations, journal: problem } = await runs.list();
    return {
      seq: publisher.seq,
      orchestrations,
      ...(problem === null ? {} : { journal: problem }),
      events: monitor.recentEvents(100),
      overview: overview(monitor),
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    const orch = /^\/api\/orchestrations\/([^/]+)(\/cancel)?$/.exec(path);
    if (req.method === "GET" && path === "/") {
      const nonce = randomBytes(16).toString("base64");
      if (token !== undefined && url.searchParams.has("token")) {
        // The page drops the token from the address bar; the cookie keeps reloads working.
        res.setHeader(
          "set-cookie",
          `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        );
      }
      send(res, 200, "text/html; charset=utf-8", dashboardPage(nonce), {
        "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      });
    } else if (req.method === "GET" && path === "/api/state") {
      json(res, 200, await state());
    } else if (req.method === "GET" && path === "/api/events") {
      if (publisher.hub.size >= MAX_STREAMS) {
        json(res, 503, { error: `at most ${MAX_STREAMS} live streams` });
        return;
      }
      const snapshot = await state();
      // The browser may have gone while the journal answered.
      if (!res.destroyed) publisher.hub.open(res, { event: "snapshot", data: snapshot });
    } else if (orch && decoded(orch[1]) === null) {
      json(res, 400, {
        error: `malformed orchestration id: not a valid path segment, or longer than ${MAX_ID_LENGTH} characters`,
        code: MonitoringErrorCode.ID_MALFORMED,
      });
    } else if (orch && !orch[2] && req.method === "GET") {
      const id = decoded(orch[1]) ?? "";
      const detail = await runs.detail(id);
      if (detail === null) {
        const answer = unknownOrchestration(id);
        json(res, answer.status, answer.body);
      } else json(res, 200, { seq: publisher.seq, ...detail });
    } else if (orch?.[2] && req.method === "POST") {
      if (req.headers["x-echelon-dashboard"] !== "1") {
        json(res, 403, { error: "missing header x-echelon-dashboard: 1" });
        return;
      }
      const answer = await cancelOrchestration(orchestrator, monitor, decoded(orch[1]) ?? "", journal);
      json(res, answer.status, answer.body);
    } else if (path === "/" || path.startsWith("/api/")) {
      json(res, 405, { error: "method not allowed" });
    } else {
      json(res, 404, { error: "not found" });
    }
  };

  const server = createServer((req, res) => {
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    res.setHeader("x-frame-options", "DENY");
    res.setHeader("cache-control", "no-store");
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    if (token !== undefined) {
      if (!tokenMatches(token, requestToken(req, url))) {
        json(
          res,
          401,
          { error: "a valid token is required" },
          { "www-authenticate": 'Bearer realm="echelon"' },
        );
        return;
      }
    } else if (!hostHeaderAllowed(req, boundPort)) {
      json(res, 403, { error: "Host header must name this loopback address" });
      return;
    }
    route(req, res, url).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const code = isEchelonError(error) ? error.code : undefined;
      logger.error("dashboard request failed", { path: url.pathname, message, code });
      if (!res.headersSent) json(res, 500, { error: message, ...(code === undefined ? {} : { code }) });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new EchelonError(
          MonitoringErrorCode.LISTEN_FAILED,
          `startDashboard: cannot listen on ${host}:${port} (${error.message}); choose another port or host.`,
          { cause: error, details: { host, port } },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  }).catch((error: unknown) => {
    publisher.close();
    if (ownMonitor) monitor.close();
    throw error;
  });
  boundPort = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${boundPort}/`,
    port: boundPort,
    monitor,
    close: () =>
      new Promise<void>((resolve) => {
        publisher.close();
        if (ownMonitor) monitor.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const MAX_STREAMS = 64;
/** Longest orchestration id the API accepts (decoded), so a request cannot make the store look up megabytes. */
const MAX_ID_LENGTH = 1024;

function decoded(segment: string | undefined): string | null {
  let id: string;
  try {
    id = decodeURIComponent(segment ?? "");
  } catch {
    // A malformed escape (`%E0%A4%A`): the caller answers 400.
    return null;
  }
  return id.length > MAX_ID_LENGTH ? null : id;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": type, ...headers });
  res.end(body);
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
}
