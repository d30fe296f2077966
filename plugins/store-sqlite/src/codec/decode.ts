import type { EchelonEvent } from "@echelon/core";
import { decompose } from "./compose.js";
import type { Shape } from "./shape.js";
import { taskIdOf } from "./task-id.js";

/** What decoding a run's rows needs besides the rows. */
export interface DecodeContext {
  readonly orchestrationId: string;
  /** Outputs by the `seq` of the event that holds them; filled while decoding, in order. */
  readonly outputs: Map<number, unknown>;
  /** A plan by its id in `plans`. */
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

function earlierOutput(seq: number, ref: unknown, context: DecodeContext): unknown {
  if (typeof ref !== "number" || !context.outputs.has(ref))
    throw new MalformedRowError(`event ${seq} refers to output ${String(ref)}, which no earlier event holds`);
  return context.outputs.get(ref);
}

/** The value of a key whose source is in the body (`v`, `o`, `O`, `C`, `p`, `R`). */
function stored(seq: number, source: string, value: unknown, context: DecodeContext): unknown {
  switch (source) {
    case "v":
      return value;
    case "o":
      context.outputs.set(seq, value);
      return value;
    case "O":
      return earlierOutput(seq, value, context);
    case "C": {
      const output = decompose(value, (ref) => earlierOutput(seq, ref, context));
      if (output === null)
        throw new MalformedRowError(`the composed output of event ${seq} is not well-formed`);
      context.outputs.set(seq, output);
      return output;
    }
    case "p":
      return context.plan(value as number);
    default: {
      // "R": a result whose own `result` field holds the seq of the event with the output.
      if (value === null || typeof value !== "object")
        throw new MalformedRowError(`the body of event ${seq} has no result object`);
      const result = value as Record<string, unknown>;
      result.result = earlierOutput(seq, result.result, context);
      return result;
    }
  }
}

/**
 * Rebuilds one event from its parsed body `[shapeId, nodePath, ts, …values]`: the inverse of
 * the writer's encoding, key for key and in order.
 *
 * @param seq - the event's position in its run
 * @param body - the row's body, parsed
 * @param shape - the shape `body[0]` names
 * @param context - the run's id, its outputs so far, its plans
 * @throws MalformedRowError when the body does not match its shape
 */
export function decodeEvent(
  seq: number,
  body: readonly unknown[],
  shape: Shape,
  context: DecodeContext,
): EchelonEvent {
  const nodePath = body[1];
  const ts = body[2];
  if (typeof nodePath !== "string" || typeof ts !== "number")
    throw new MalformedRowError(`the body of event ${seq} is not [shapeId, nodePath, ts, …values]`);
  const event: Record<string, unknown> = {};
  const keys = shape.keys;
  let next = 3;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]![0];
    const source = keys[k]![1];
    let value: unknown;
    // Most keys of most events are derived or plain values: test those first.
    if (source === "v") {
      if (next >= body.length) throw missing(seq, key);
      value = body[next++];
    } else if (source === "n") value = nodePath;
    else if (source === "s") value = ts;
    else if (source === "k") value = shape.type;
    else if (source === "i") value = context.orchestrationId;
    else if (source === "t") value = taskIdOf(nodePath);
    else {
      if (next >= body.length) throw missing(seq, key);
      value = stored(seq, source, body[next++], context);
    }
    if (key === "__proto__") set(event, key, value);
    else event[key] = value;
  }
  return event as unknown as EchelonEvent;
}

function missing(seq: number, key: string): MalformedRowError {
  return new MalformedRowError(`the body of event ${seq} has no value for "${key}"`);
}
