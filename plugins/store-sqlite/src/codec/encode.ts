import type { EchelonEvent, OrchestrationState, Plan } from "@echelon/core";
import { MIN_MEMBER_JSON } from "./compose.js";
import type { KeySource, ShapeKey } from "./shape.js";
import { isTaskIdOf } from "./task-id.js";

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

function whatOf(type: string, key: string): string {
  return `"${key}" of a ${type} event`;
}

function json(value: unknown, type: string, key: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${whatOf(type, key)} is not JSON (got ${typeof value})`);
  return text;
}

/** A JSON array's text without its brackets. */
function items(values: readonly unknown[]): string {
  return JSON.stringify(values).slice(1, -1);
}

/**
 * True for an output stored in the body like any value: a number, boolean or null, or a string
 * of at most {@link INLINE_STRING} characters. A reference to it would save nothing (and the
 * outputs of most leaves are such values), so it is neither indexed nor looked up.
 */
function isInlineOutput(value: unknown): boolean {
  switch (typeof value) {
    case "number":
    case "boolean":
      return true;
    case "string":
      return value.length <= INLINE_STRING;
    default:
      return value === null;
  }
}

/** Longest string output stored inline: its JSON is shorter than what {@link compose} refers to. */
const INLINE_STRING = MIN_MEMBER_JSON - 3;

function runChange(event: EchelonEvent, nowEpochMs: () => number): RunChange | null {
  const type = event.type;
  // Only orchestration events change the run's row.
  if (type.charCodeAt(0) !== 111 || !type.startsWith("orchestration:")) return null;
  const e = event as unknown as Record<string, unknown>;
  if (type === "orchestration:started") {
    return {
      kind: "started",
      taskId: typeof e.taskId === "string" ? e.taskId : "",
      startedAtEpochMs: typeof e.startedAtEpochMs === "number" ? e.startedAtEpochMs : null,
      plan: isObject(e.plan) ? (e.plan as unknown as Plan) : null,
    };
  }
  if (TERMINAL.has(type)) {
    const result = e.result;
    const state = isObject(result) && typeof result.state === "string" ? result.state : type.slice(14);
    return { kind: "ended", state: state as OrchestrationState, endedAtEpochMs: nowEpochMs() };
  }
  if (type === "orchestration:paused") return { kind: "paused" };
  if (type === "orchestration:resumed") return { kind: "resumed" };
  return null;
}

/**
 * The shapes seen, by event type (a few per type): an event whose keys and sources match one
 * reuses its key list, so the common event allocates no key list at all.
 */
const layouts = new Map<string, (readonly ShapeKey[])[]>();
const MAX_LAYOUTS = 16;
/** Event types whose layouts are kept (core has a few dozen; a program inventing types per event must not grow this). */
const MAX_TYPES = 1024;

function sameKeys(a: readonly ShapeKey[], b: readonly ShapeKey[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

function knownLayout(type: string, keys: ShapeKey[]): readonly ShapeKey[] {
  let known = layouts.get(type);
  if (known === undefined) {
    if (layouts.size >= MAX_TYPES) return keys;
    known = [];
    layouts.set(type, known);
  }
  // The layout found (or added) becomes the last, the one the next event of the type tries first.
  const at = known.findIndex((layout) => sameKeys(layout, keys));
  const layout = at < 0 ? keys : known[at]!;
  if (at >= 0) known.splice(at, 1);
  else if (known.length >= MAX_LAYOUTS) known.shift();
  known.push(layout);
  return layout;
}

/**
 * Encodes one event for the journal. The plan (of `orchestration:started`), the first `output`
 * key (unless a number, boolean, null or short string: then a plain value) and a terminal result
 * are the event's *external* value, which the writer stores once per run; a `taskId` equal to
 * the node path's last id is not stored at all. Keys whose value is
 * `undefined` are dropped (as JSON drops them).
 *
 * @param event - the event
 * @param nowEpochMs - wall clock now (the end time of a terminal event; only called for one)
 * @throws TypeError when a value is not JSON-serialisable (a BigInt, a cycle)
 */
export function encodeEvent(event: EchelonEvent, nowEpochMs: () => number): EncodedEvent {
  const e = event as unknown as Record<string, unknown>;
  const type = event.type;
  const nodePath = typeof e.nodePath === "string" ? e.nodePath : "";
  const ts = typeof e.ts === "number" && Number.isFinite(e.ts) ? e.ts : 0;
  // The key list is matched against the last layout of this type as it is built: copied only
  // from the first key that differs.
  const candidates = layouts.get(type);
  const candidate = candidates?.[candidates.length - 1];
  let keys: ShapeKey[] | null = null;
  let count = 0;
  const before: unknown[] = [nodePath, ts];
  let after: unknown[] | null = null;
  let external: External | null = null;
  let externalKey = -1;
  const terminal = TERMINAL.has(type);
  const names = Object.keys(e);
  for (let n = 0; n < names.length; n++) {
    const key = names[n]!;
    const value = e[key];
    if (value === undefined) continue;
    let source: KeySource = "v";
    if (key === "type") source = "k";
    else if (key === "orchestrationId" && typeof value === "string") source = "i";
    else if (key === "nodePath" && typeof value === "string") source = "n";
    else if (key === "ts" && value === ts) source = "s";
    else if (key === "taskId" && typeof value === "string" && isTaskIdOf(value, nodePath)) source = "t";
    else if (external === null && key === "output" && !isInlineOutput(value)) {
      external = { kind: "output", json: json(value, type, key), value };
      source = "o";
    } else if (external === null && key === "plan" && type === "orchestration:started" && isObject(value)) {
      external = { kind: "plan", plan: value as unknown as Plan };
      source = "p";
    } else if (
      external === null &&
      key === "result" &&
      terminal &&
      isObject(value) &&
      value.result !== undefined
    ) {
      external = { kind: "result", json: json(value.result, type, "result.result"), value };
      json(value, type, key);
      source = "R";
    }
    if (keys === null) {
      const expected = candidate !== undefined && count < candidate.length ? candidate[count]! : undefined;
      if (expected === undefined || expected[0] !== key || expected[1] !== source) {
        keys = candidate === undefined ? [] : candidate.slice(0, count);
        keys.push([key, source]);
      }
    } else keys.push([key, source]);
    count++;
    if (source === "o" || source === "p" || source === "R") {
      externalKey = count - 1;
      after = [];
    } else if (source === "v") (after ?? before).push(value);
  }
  let layout: readonly ShapeKey[];
  if (keys === null && candidate !== undefined && count === candidate.length) layout = candidate;
  else layout = knownLayout(type, keys ?? (candidate ?? []).slice(0, count));
  return {
    event,
    orchestrationId: typeof e.orchestrationId === "string" ? e.orchestrationId : "",
    type,
    keys: layout,
    externalKey,
    before: items(before),
    after: after === null || after.length === 0 ? "" : items(after),
    external,
    change: runChange(event, nowEpochMs),
  };
}
