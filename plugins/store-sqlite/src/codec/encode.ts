import type { EchelonEvent, OrchestrationState, Plan } from "@echelon/core";
import { NodePath } from "@echelon/core";
import { type KeySource, shapeSpec } from "./shape.js";

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

/** A stored value kept outside the row: an output (or a result's output) or a plan. */
export type External =
  | { readonly kind: "output"; readonly json: string }
  | { readonly kind: "plan"; readonly plan: Plan };

/** One event, encoded for its row (pure: no ids from the database yet). */
export interface EncodedEvent {
  /** The appended event itself (read-your-writes before it is written). */
  readonly event: EchelonEvent;
  readonly orchestrationId: string;
  /** Text of the shape (see `shape.ts`). */
  readonly spec: string;
  /** JSON array: node path, timestamp, then the values whose source is `v`. */
  readonly body: string;
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

/** Shapes seen, by type: most events of a type share one or two shapes, so their text is built once. */
export class ShapeCache {
  private readonly byType = new Map<
    string,
    { keys: readonly (readonly [string, KeySource])[]; spec: string }[]
  >();

  /** The text of the shape `type` + `keys` (cached). */
  spec(type: string, keys: readonly (readonly [string, KeySource])[]): string {
    let known = this.byType.get(type);
    if (known === undefined) {
      known = [];
      this.byType.set(type, known);
    }
    for (const entry of known) if (sameKeys(entry.keys, keys)) return entry.spec;
    const spec = shapeSpec({ type, keys });
    if (known.length < 32) known.push({ keys, spec });
    return spec;
  }
}

function sameKeys(
  a: readonly (readonly [string, KeySource])[],
  b: readonly (readonly [string, KeySource])[],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

/**
 * Encodes one event for the journal. The plan (of `orchestration:started`), every `output`
 * and a terminal result's `result` go outside the row, so each is stored once; `taskId` equal
 * to the node path's last id is not stored at all. Keys whose value is `undefined` are
 * dropped (as JSON drops them).
 *
 * @param event - the event
 * @param nowEpochMs - wall clock now (the end time of a terminal event)
 * @param shapes - the shapes seen so far
 * @throws TypeError when a value is not JSON-serialisable (a BigInt, a cycle)
 */
export function encodeEvent(event: EchelonEvent, nowEpochMs: number, shapes: ShapeCache): EncodedEvent {
  const e = event as unknown as Record<string, unknown>;
  const nodePath = typeof e.nodePath === "string" ? e.nodePath : "";
  const ts = typeof e.ts === "number" && Number.isFinite(e.ts) ? e.ts : 0;
  const keys: [string, KeySource][] = [];
  const vals: unknown[] = [nodePath, ts];
  let external: External | null = null;
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
      external = { kind: "output", json: json(value, `"output" of a ${event.type} event`) };
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
      external = { kind: "output", json: json(value.result, `"result.result" of a ${event.type} event`) };
      vals.push({ ...value, result: null });
      keys.push([key, "r"]);
      continue;
    }
    keys.push([key, source]);
    if (source === "v") vals.push(value);
  }
  return {
    event,
    orchestrationId: typeof e.orchestrationId === "string" ? e.orchestrationId : "",
    spec: shapes.spec(event.type, keys),
    body: json(vals, `a ${event.type} event`),
    external,
    change: runChange(event, nowEpochMs),
  };
}
