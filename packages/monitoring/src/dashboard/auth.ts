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

/** @internal Name of the cookie that keeps a page's token across reloads (HttpOnly, SameSite=Strict). */
export const TOKEN_COOKIE = "echelon_dashboard_token";

/** @internal The token a request carries: `Authorization: Bearer <t>`, `?token=<t>` or the cookie. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (typeof header === "string" && header.startsWith("Bearer ")) {
    return header.slice("Bearer ".length).trim();
  }
  const query = url.searchParams.get("token");
  if (query !== null) return query;
  const cookies = req.headers.cookie;
  if (typeof cookies !== "string") return null;
  for (const part of cookies.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // A malformed cookie value is no token.
        return null;
      }
    }
  }
  return null;
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
