import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * @internal Constant-time token comparison: both sides are hashed to 32 bytes first, so
 * neither the content nor the length of the expected token leaks through timing.
 */
export function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = createHash("sha256").update(expected, "utf8").digest();
  const b = createHash("sha256").update(given, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** @internal The token a request carries: `Authorization: Bearer <t>` or `?token=<t>`. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (typeof header === "string" && header.startsWith("Bearer "))
    return header.slice("Bearer ".length).trim();
  return url.searchParams.get("token");
}

/** @internal True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * @internal DNS-rebinding guard for a loopback-bound server without a token: the `Host`
 * header must name a loopback address (on our port).
 */
export function hostHeaderAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (typeof host !== "string") return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m) return false;
  return isLoopback(m[1] ?? "") && (m[2] === undefined || Number(m[2]) === port);
}
