import type { EchelonEvent } from "@echelon/core";
import { NodePath } from "@echelon/core";
import type { Shape } from "./shape.js";

/** One stored row of `events`, as read. */
export type EventRow = readonly [
  seq: number,
  shapeId: number,
  body: string,
  output: string | null,
  ref: number | null,
];

/** What decoding a run's rows needs besides the rows. */
export interface DecodeContext {
  readonly orchestrationId: string;
  /** Shape by id; `undefined` for an id it does not know (the caller reloads and retries). */
  shape(id: number): Shape | undefined;
  /** The output held by the run's event `seq` (parsed once, shared by every event that refers to it). */
  output(seq: number): unknown;
  /** A plan by id. */
  plan(id: number): unknown;
}

/** Thrown by {@link decodeEvent} for a row that does not match its shape (a damaged row). */
export class MalformedRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedRowError";
  }
}

function set(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function refOf(row: EventRow, key: string): number {
  const ref = row[4];
  if (ref === null) throw new MalformedRowError(`row ${row[0]} has no reference for "${key}"`);
  return ref;
}

/** The output of the row: its own column (parsed here), or the earlier one it refers to. */
function outputOf(row: EventRow, key: string, context: DecodeContext): unknown {
  return row[3] !== null ? context.output(row[0]) : context.output(refOf(row, key));
}

/**
 * Rebuilds one event from its row: the inverse of `encodeEvent`, key for key and in order.
 *
 * @throws MalformedRowError when the row does not match its shape
 */
export function decodeEvent(row: EventRow, shape: Shape, context: DecodeContext): EchelonEvent {
  const vals = JSON.parse(row[2]) as unknown;
  if (!Array.isArray(vals) || vals.length < 2 || typeof vals[0] !== "string" || typeof vals[1] !== "number")
    throw new MalformedRowError(`the body of event ${row[0]} is not [nodePath, ts, …values]`);
  const nodePath = vals[0] as string;
  const ts = vals[1] as number;
  const event: Record<string, unknown> = {};
  let next = 2;
  for (const [key, source] of shape.keys) {
    switch (source) {
      case "k":
        set(event, key, shape.type);
        break;
      case "i":
        set(event, key, context.orchestrationId);
        break;
      case "n":
        set(event, key, nodePath);
        break;
      case "s":
        set(event, key, ts);
        break;
      case "t":
        set(event, key, NodePath.id(nodePath));
        break;
      case "v":
        if (next >= vals.length)
          throw new MalformedRowError(`the body of event ${row[0]} has no value for "${key}"`);
        set(event, key, vals[next++]);
        break;
      case "o":
        set(event, key, outputOf(row, key, context));
        break;
      case "p":
        set(event, key, context.plan(refOf(row, key)));
        break;
      case "r": {
        const result = vals[next++] as Record<string, unknown> | undefined;
        if (result === null || typeof result !== "object")
          throw new MalformedRowError(`the body of event ${row[0]} has no object for "${key}"`);
        result.result = outputOf(row, key, context);
        set(event, key, result);
        break;
      }
    }
  }
  return event as unknown as EchelonEvent;
}
