import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EchelonError, type Logger, silentLogger } from "@echelon/core";
import { checkPositiveInt, invalidOption, MonitoringErrorCode } from "../errors.js";
import { createMonitor, type Monitor } from "../monitor.js";
import type { MonitoredOrchestrator } from "../source.js";
import { hostHeaderAllowed, isLoopback, requestToken, TOKEN_COOKIE, tokenMatches } from "./auth.js";
import { cancelOrchestration } from "./cancel.js";
import { BatchPublisher } from "./publisher.js";
import { dashboardPage } from "./page.js";
import { orchestrationView, overview, treeRows } from "./views.js";

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
  /** Where server errors are logged. */
  readonly logger?: Logger;
}

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
 * Routes: `GET /`, `GET /api/state`, `GET /api/events` (SSE), `GET /api/orchestrations/:id`,
 * `POST /api/orchestrations/:id/cancel` (needs header `x-echelon-dashboard: 1`; answers 202
 * when cancellation was requested, 404 for an unknown id, and 409 with
 * `{ error, orchestrationId, state, finished: true }` when the run had already finished).
 *
 * @param options - orchestrator, port, host, token
 * @returns the running dashboard
 * @throws EchelonError `ECHELON_DASHBOARD_TOKEN_REQUIRED` for a non-loopback host without a token
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` for a bad port, token or flush interval
 * @throws EchelonError `ECHELON_DASHBOARD_LISTEN_FAILED` when the port cannot be bound
 * @example
 * ```ts
 * const dashboard = await startDashboard({ orchestrator, port: 4321 });
 * logger.info(`dashboard at ${dashboard.url}`);
 * ```
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
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
  const logger = options.logger ?? silentLogger;
  const ownMonitor = options.monitor === undefined;
  const monitor = options.monitor ?? createMonitor({ orchestrator });
  const publisher = new BatchPublisher(monitor, options.flushMs ?? 250);
  let boundPort = port;

  const state = () => ({
    seq: publisher.seq,
    orchestrations: monitor
      .listOrchestrations()
      .map((o) => orchestrationView(monitor, o.orchestrationId))
      .filter((v) => v !== null),
    events: monitor.recentEvents(100),
    overview: overview(monitor),
  });

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
      json(res, 200, state());
    } else if (req.method === "GET" && path === "/api/events") {
      if (publisher.hub.size >= MAX_STREAMS) json(res, 503, { error: `at most ${MAX_STREAMS} live streams` });
      else publisher.hub.open(res, { event: "snapshot", data: state() });
    } else if (orch && decoded(orch[1]) === null) {
      json(res, 400, { error: "malformed orchestration id" });
    } else if (orch && !orch[2] && req.method === "GET") {
      const id = decoded(orch[1]) ?? "";
      const view = orchestrationView(monitor, id);
      if (view === null) json(res, 404, { error: `unknown orchestration ${id}` });
      else json(res, 200, { seq: publisher.seq, orchestration: view, rows: treeRows(monitor, id) });
    } else if (orch?.[2] && req.method === "POST") {
      if (req.headers["x-echelon-dashboard"] !== "1") {
        json(res, 403, { error: "missing header x-echelon-dashboard: 1" });
        return;
      }
      const answer = await cancelOrchestration(orchestrator, monitor, decoded(orch[1]) ?? "");
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
      logger.error("dashboard request failed", { path: url.pathname, message });
      if (!res.headersSent) json(res, 500, { error: message });
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

function decoded(segment: string | undefined): string | null {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    // A malformed escape (`%E0%A4%A`): the caller answers 400.
    return null;
  }
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
