import type { EchelonEvent, OrchestrationState, Plan } from "@echelon/core";
import { NodePath } from "@echelon/core";
import type { KeySource, ShapeKey } from "./shape.js";

/** What an event changes in its run's row of `runs`. */
export type RunChange =
  | {
      readonly kind: "started";
      readonly taskId: string;
      readonly startedAtEpochMs: number | null;
      readonly plan: Plan | null;
    }
  | { readonly kind: "ended"; readonly state: OrchestrationState; readonly endedAtEpochMs: number }
  | { readonly kind: "paused" }
  | { readonly kind: "resumed" };

/**
 * The value the writer places (or refers to) at the event's external key: an output (stored once
 * per run), the plan (stored once, in `plans`), or a terminal result whose `result` field is
 * the root's output (stored once).
 */
export type External =
  | { readonly kind: "output"; readonly json: string; readonly value: unknown }
  | { readonly kind: "plan"; readonly plan: Plan }
  | { readonly kind: "result"; readonly json: string; readonly value: Readonly<Record<string, unknown>> };

/** One event, encoded for its row (pure: the writer adds the ids from the database). */
export interface EncodedEvent {
  /** The appended event itself (read-your-writes before it is written). */
  readonly event: EchelonEvent;
  readonly orchestrationId: string;
  readonly type: string;
  /** The keys in order; the external one (if any) has the provisional source `o`, `p` or `R`. */
  readonly keys: readonly ShapeKey[];
  /** Index in `keys` of the external key, or -1. */
  readonly externalKey: number;
  /** JSON of the body's values before the external value (node path and timestamp first), comma-joined. */
  readonly before: string;
  /** JSON of the body's values after the external value, comma-joined ("" for none). */
  readonly after: string;
  readonly external: External | null;
  readonly change: RunChange | null;
}

const TERMINAL = new Set(["orchestration:completed", "orchestration:failed", "orchestration:cancelled"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function json(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON (got ${typeof value})`);
  return text;
}

function runChange(event: EchelonEvent, nowEpochMs: number): RunChange | null {
  const e = event as unknown as Record<string, unknown>;
  if (event.type === "orchestration:started") {
    return {
      kind: "started",
      taskId: typeof e.taskId === "string" ? e.taskId : "",
      startedAtEpochMs: typeof e.startedAtEpochMs === "number" ? e.startedAtEpochMs : null,
      plan: isObject(e.plan) ? (e.plan as unknown as Plan) : null,
    };
  }
  if (TERMINAL.has(event.type)) {
    const result = e.result;
    const state = isObject(result) && typeof result.state === "string" ? result.state : event.type.slice(14);
    return { kind: "ended", state: state as OrchestrationState, endedAtEpochMs: nowEpochMs };
  }
  if (event.type === "orchestration:paused") return { kind: "paused" };
  if (event.type === "orchestration:resumed") return { kind: "resumed" };
  return null;
}

/** A JSON array's text without its brackets ("" for an empty array). */
function items(values: readonly unknown[], what: string): string {
  return values.length === 0 ? "" : json(values, what).slice(1, -1);
}

/**
 * Encodes one event for the journal. The plan (of `orchestration:started`), the first `output`
 * key and a terminal result are the event's *external* value, which the writer stores once per
 * run; a `taskId` equal to the node path's last id is not stored at all. Keys whose value is
 * `undefined` are dropped (as JSON drops them).
 *
 * @param event - the event
 * @param nowEpochMs - wall clock now (the end time of a terminal event)
 * @throws TypeError when a value is not JSON-serialisable (a BigInt, a cycle)
 */
export function encodeEvent(event: EchelonEvent, nowEpochMs: number): EncodedEvent {
  const e = event as unknown as Record<string, unknown>;
  const what = `a ${event.type} event`;
  const nodePath = typeof e.nodePath === "string" ? e.nodePath : "";
  const ts = typeof e.ts === "number" && Number.isFinite(e.ts) ? e.ts : 0;
  const keys: [string, KeySource][] = [];
  const before: unknown[] = [nodePath, ts];
  const after: unknown[] = [];
  let values = before;
  let external: External | null = null;
  let externalKey = -1;
  const terminal = TERMINAL.has(event.type);
  for (const key of Object.keys(e)) {
    const value = e[key];
    if (value === undefined) continue;
    let source: KeySource = "v";
    if (key === "type") source = "k";
    else if (key === "orchestrationId" && typeof value === "string") source = "i";
    else if (key === "nodePath" && typeof value === "string") source = "n";
    else if (key === "ts" && value === ts) source = "s";
    else if (key === "taskId" && typeof value === "string" && value !== "" && value === NodePath.id(nodePath))
      source = "t";
    else if (external === null && key === "output") {
      external = { kind: "output", json: json(value, `"output" of ${what}`), value };
      source = "o";
    } else if (
      external === null &&
      key === "plan" &&
      event.type === "orchestration:started" &&
      isObject(value)
    ) {
      external = { kind: "plan", plan: value as unknown as Plan };
      source = "p";
    } else if (
      external === null &&
      key === "result" &&
      terminal &&
      isObject(value) &&
      value.result !== undefined
    ) {
      external = { kind: "result", json: json(value.result, `"result.result" of ${what}`), value };
      json(value, `"result" of ${what}`);
      source = "R";
    }
    keys.push([key, source]);
    if (source === "o" || source === "p" || source === "R") {
      externalKey = keys.length - 1;
      values = after;
    } else if (source === "v") values.push(value);
  }
  return {
    event,
    orchestrationId: typeof e.orchestrationId === "string" ? e.orchestrationId : "",
    type: event.type,
    keys,
    externalKey,
    before: items(before, what),
    after: items(after, what),
    external,
    change: runChange(event, nowEpochMs),
  };
}
