import type { EchelonEvent } from "@echelon/core";
import { NodePath } from "@echelon/core";
import { decompose } from "./compose.js";
import type { Shape } from "./shape.js";

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
  let next = 3;
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
      default: {
        if (next >= body.length)
          throw new MalformedRowError(`the body of event ${seq} has no value for "${key}"`);
        const value = body[next++];
        if (source === "v") set(event, key, value);
        else if (source === "o") {
          context.outputs.set(seq, value);
          set(event, key, value);
        } else if (source === "O") set(event, key, earlierOutput(seq, value, context));
        else if (source === "C") {
          const output = decompose(value, (ref) => earlierOutput(seq, ref, context));
          if (output === null)
            throw new MalformedRowError(`the composed output of event ${seq} is not well-formed`);
          context.outputs.set(seq, output);
          set(event, key, output);
        } else if (source === "p") set(event, key, context.plan(value as number));
        else {
          // "R": a result whose own `result` field holds the seq of the event with the output.
          if (value === null || typeof value !== "object")
            throw new MalformedRowError(`the body of event ${seq} has no result object for "${key}"`);
          const result = value as Record<string, unknown>;
          result.result = earlierOutput(seq, result.result, context);
          set(event, key, result);
        }
      }
    }
  }
  return event as unknown as EchelonEvent;
}
