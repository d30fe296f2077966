import type { ErrorData } from "./wire.js";

/**
 * Redis names the transport uses besides BullMQ's own, all under the queue's prefix:
 *
 * - `<prefix>:<queue>:echelon-cancel` — pub/sub channel of cancel requests;
 * - `<prefix>:<queue>:echelon-cancel:<jobId>` — the cancel request of one job (with a TTL), for
 *   hosts that were disconnected when it was published.
 *
 * Job ids never contain `:` (see `JobId`), so these never collide with BullMQ's job keys.
 */
export const RedisNames = {
  /** The hash BullMQ keeps for a job. */
  job(prefix: string, queue: string, jobId: string): string {
    return `${prefix}:${queue}:${jobId}`;
  },
  /** The channel cancel requests of a queue are published on. */
  cancelChannel(prefix: string, queue: string): string {
    return `${prefix}:${queue}:echelon-cancel`;
  },
  /** The key holding the cancel request of one job. */
  cancelKey(prefix: string, queue: string, jobId: string): string {
    return `${prefix}:${queue}:echelon-cancel:${jobId}`;
  },
} as const;

/** A cancel request as published and stored: the job and the orchestrator's abort reason. */
export interface CancelMessage {
  readonly jobId: string;
  readonly reason: ErrorData;
}

/**
 * Reads a cancel message; `null` for anything else on the channel.
 *
 * @param text - the message
 * @returns the request, or `null`
 */
export function readCancelMessage(text: string | null): CancelMessage | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<CancelMessage>;
    if (typeof parsed.jobId === "string" && typeof parsed.reason?.code === "string") {
      return parsed as CancelMessage;
    }
  } catch {
    // Not a cancel message: ignored (the caller logs nothing; a stray publisher is not our fault).
  }
  return null;
}
