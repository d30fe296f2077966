/*
 * Rough heap sizes of JSON values, for retention bounded in bytes (the memory store's
 * `maxBytes`, the orchestrator's `retainFinishedBytes`). The constants follow V8 on 64-bit
 * with pointer compression off: an object header, one slot per property or element, a string
 * header plus its characters. Keys are not counted (objects of one shape share them), nor is
 * sharing between values (a string referenced twice counts twice). Estimates, not measurements:
 * within a factor of about 1.5 of what a heap snapshot shows for typical outputs and plans.
 */

/** Bytes of an object's header (map, properties, elements pointers). */
export const OBJECT_HEADER_BYTES = 24;
/** Bytes of one property or element slot. */
export const SLOT_BYTES = 8;
/** Bytes of a string's header (map, hash, length), before its characters. */
export const STRING_HEADER_BYTES = 16;
/** Bytes of a heap number. */
export const NUMBER_BYTES = 16;
/** Largest byte bound a retention option takes (2^53 − 1, `Number.MAX_SAFE_INTEGER`): no bound in practice. */
export const MAX_RETAINED_BYTES = Number.MAX_SAFE_INTEGER;
/**
 * Most values one estimate visits. A value larger than this (or one that is not JSON because it
 * refers to itself) is counted only this far, so an estimate always ends quickly.
 */
export const MAX_ESTIMATE_VISITS = 4_000_000;

/**
 * Estimates how many bytes of heap a JSON value holds: strings, numbers, arrays and plain
 * objects, nested to any depth (iteratively, no recursion). Values that are not JSON count as
 * one slot. Linear in the size of the value and stopped after four million
 * values (a cycle cannot hang it); call it once per value, not per read.
 *
 * @param value - a JSON value (an output, a plan, a result)
 * @returns the estimate, bytes (0 for `null`, `undefined`, booleans and small integers)
 * @example
 * ```ts
 * estimateJsonBytes("abc"); // 19
 * estimateJsonBytes({ a: [1, 2] }); // 24 + 8 + (24 + 2 × 8)
 * ```
 */
export function estimateJsonBytes(value: unknown): number {
  // Primitives (most task outputs) without the stack: this runs once per journaled output.
  switch (typeof value) {
    case "string":
      return STRING_HEADER_BYTES + value.length;
    case "number":
      return numberBytes(value);
    case "object": {
      if (value === null) return 0;
      const known = knownBytes.get(value);
      if (known !== undefined) return known;
      break;
    }
    default:
      return 0;
  }
  let bytes = 0;
  const stack: unknown[] = [value];
  let visits = 0;
  while (stack.length > 0 && visits++ < MAX_ESTIMATE_VISITS) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        bytes += STRING_HEADER_BYTES + v.length;
        break;
      case "number":
        bytes += numberBytes(v);
        break;
      case "object": {
        if (v === null) break;
        const known = knownBytes.get(v);
        if (known !== undefined) {
          bytes += known;
          break;
        }
        if (Array.isArray(v)) {
          bytes += OBJECT_HEADER_BYTES + SLOT_BYTES * v.length;
          for (let i = 0; i < v.length; i++) {
            const item: unknown = v[i];
            if (typeof item === "object" || typeof item === "string" || typeof item === "number")
              stack.push(item);
          }
          break;
        }
        bytes += OBJECT_HEADER_BYTES;
        const record = v as Record<string, unknown>;
        for (const key in record) {
          bytes += SLOT_BYTES;
          const item = record[key];
          if (typeof item === "object" || typeof item === "string" || typeof item === "number")
            stack.push(item);
        }
        break;
      }
      default:
        break;
    }
  }
  return bytes;
}

/**
 * Outputs of at least this many estimated bytes keep their estimate once checked (see
 * {@link rememberJsonBytes}); smaller ones are cheaper to walk again than to remember.
 */
export const REMEMBER_FROM_BYTES = 256;

/** Estimates of large outputs that were measured while they were checked (weakly held). */
const knownBytes = new WeakMap<object, number>();

/**
 * Records the estimate of a value that will not change any more (an agent's output or a
 * pattern's result once checked: both are read-only from then on), so the journal, the memory
 * store and the retention of finished runs do not walk it again. Values under
 * {@link REMEMBER_FROM_BYTES} are not recorded. Internal.
 *
 * @param value - the checked value
 * @param bytes - its estimate, as {@link estimateJsonBytes} computes it
 */
export function rememberJsonBytes(value: object, bytes: number): void {
  if (bytes >= REMEMBER_FROM_BYTES) knownBytes.set(value, bytes);
}

/** A heap number's bytes, or 0 for a small integer (stored in the slot itself). */
export function numberBytes(v: number): number {
  return !Number.isInteger(v) || v > 0x3fffffff || v < -0x40000000 ? NUMBER_BYTES : 0;
}
