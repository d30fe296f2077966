import { DELAY_TIME_5, delay, isNotConnectionError, type QueueEvents } from "bullmq";
import type { LiveHooks } from "./dispatcher-live.js";

/**
 * Follows a queue's event stream from `from` (a stream id) on `events`' connection until
 * `events` closes, handing the dispatcher the four events it acts on — `completed`, `failed`,
 * `progress`, `duplicated` — and skipping the rest (`added`, `waiting`, `active`, `drained` …,
 * three or four per job) without decoding them. It reads as `QueueEvents.run` does (the same
 * blocking `XREAD` with its watchdog, the same 5 s pause after a connection error) but without
 * building an object and emitting two events per stream entry.
 *
 * @param events - a `QueueEvents` made with `autorun: false` (its connection, never its loop)
 * @param from - the stream id to read after
 * @param blockingTimeoutMs - the `XREAD BLOCK` timeout
 * @param hooks - where the events go; `failed` gets errors that are not connection errors
 * @returns resolves once `events` is closing
 */
export async function followEvents(
  events: QueueEvents,
  from: string,
  blockingTimeoutMs: number,
  hooks: LiveHooks,
): Promise<void> {
  let id = from;
  while (events.closing === undefined) {
    let data: Awaited<ReturnType<QueueEvents["backend"]["readEvents"]>> | undefined;
    try {
      data = await events.backend.readEvents(id, blockingTimeoutMs);
    } catch (error) {
      if (error instanceof Error && isNotConnectionError(error)) hooks.failed(error);
      if (events.closing !== undefined) return;
      await delay(DELAY_TIME_5);
      continue;
    }
    const entries = data?.[0]?.[1];
    if (entries === undefined) continue;
    for (const [entryId, fields] of entries) {
      id = entryId;
      dispatchEvent(fields, hooks);
    }
  }
}

/**
 * Acts on one stream entry of the queue's events (`event`, `jobId` and the event's field, as
 * flat pairs): a result, a failure, progress or a duplicate goes to the waiting attempt; any other
 * event is skipped. Exported for tests.
 *
 * @param fields - the entry's fields and values
 * @param hooks - the waiting attempts and the duplicate hook
 */
export function dispatchEvent(fields: readonly string[], hooks: LiveHooks): void {
  const event = fieldOf(fields, "event");
  if (event !== "completed" && event !== "failed" && event !== "progress" && event !== "duplicated") return;
  const jobId = fieldOf(fields, "jobId");
  if (jobId === undefined) return;
  const { pending } = hooks;
  switch (event) {
    case "completed":
      pending.completed(jobId, parse(fieldOf(fields, "returnvalue")));
      return;
    case "failed":
      pending.failed(jobId, fieldOf(fields, "failedReason") ?? "");
      return;
    case "progress":
      pending.progress(jobId, parse(fieldOf(fields, "data")));
      return;
    default:
      if (pending.duplicated(jobId)) hooks.duplicated();
  }
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** JSON of a stream field, `undefined` when absent or not JSON (BullMQ's reader would throw). */
function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
