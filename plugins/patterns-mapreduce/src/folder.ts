import { EchelonError } from "@echelon/core";
import { MapReduceErrorCode } from "./errors.js";
import type { Reducer } from "./reducer.js";

/** Folds indexed values (map outputs or partition results) with a reducer. */
export interface Folder {
  /** Adds the value at `index` (each index once). */
  add(index: number, value: unknown, childId: string): void;
  /** Marks `index` as having no value (a failed child under `onError: "continue"`). */
  skip(index: number): void;
  /** The folded result of everything added, in index order. */
  result(): unknown;
  /** Values held right now (for the memory bound). */
  held(): number;
}

const GAP: unique symbol = Symbol("gap");

function reduceFailed(reducer: Reducer, childId: string | undefined, error: unknown): EchelonError {
  if (error instanceof EchelonError) return error;
  return new EchelonError(
    MapReduceErrorCode.REDUCE_FAILED,
    `Reducer "${reducer.name}" threw: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, details: { reducer: reducer.name, ...(childId ? { child: childId } : {}) } },
  );
}

function guarded<T>(reducer: Reducer, childId: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw reduceFailed(reducer, childId, error);
  }
}

// The per-value steps below catch inline rather than through `guarded`: no closure per value.

function lift(reducer: Reducer, value: unknown, childId: string): unknown {
  try {
    return reducer.lift(value, childId);
  } catch (error) {
    throw reduceFailed(reducer, childId, error);
  }
}

interface Segment {
  readonly start: number;
  end: number;
  value: unknown;
}

/**
 * Incremental folding for an associative reducer: each arriving value becomes a segment
 * `[i, i+1)`; adjacent segments are merged at once (left before right). Only segments separated
 * by a still-missing index are held, so memory is O(values in flight), not O(n), and the result
 * equals the left-to-right fold whatever the arrival order.
 */
class SegmentFolder implements Folder {
  private readonly byStart = new Map<number, Segment>();
  private readonly byEnd = new Map<number, Segment>();

  constructor(private readonly reducer: Reducer) {}

  add(index: number, value: unknown, childId: string): void {
    this.insert(index, lift(this.reducer, value, childId), childId);
  }

  skip(index: number): void {
    this.insert(index, GAP, undefined);
  }

  private merge(left: unknown, right: unknown, childId: string | undefined): unknown {
    if (left === GAP) return right;
    if (right === GAP) return left;
    try {
      return this.reducer.combine(left, right);
    } catch (error) {
      throw reduceFailed(this.reducer, childId, error);
    }
  }

  private insert(index: number, value: unknown, childId: string | undefined): void {
    let segment: Segment = { start: index, end: index + 1, value };
    const left = this.byEnd.get(index);
    if (left) {
      this.byEnd.delete(left.end);
      left.value = this.merge(left.value, segment.value, childId);
      left.end = segment.end;
      segment = left;
    } else {
      this.byStart.set(segment.start, segment);
    }
    const right = this.byStart.get(segment.end);
    if (right) {
      this.byStart.delete(right.start);
      this.byEnd.delete(right.end);
      segment.value = this.merge(segment.value, right.value, childId);
      segment.end = right.end;
    }
    this.byEnd.set(segment.end, segment);
  }

  result(): unknown {
    const segments = [...this.byStart.values()].sort((a, b) => a.start - b.start);
    let acc: unknown = GAP;
    for (const s of segments) acc = this.merge(acc, s.value, undefined);
    return finish(this.reducer, acc === GAP ? this.reducer.empty() : acc);
  }

  held(): number {
    return this.byStart.size;
  }
}

/** Buffered folding for a non-associative reducer: all values kept, folded by index at the end (O(n) memory). */
class OrderedFolder implements Folder {
  private readonly values = new Map<number, { value: unknown; childId: string }>();

  constructor(private readonly reducer: Reducer) {}

  add(index: number, value: unknown, childId: string): void {
    this.values.set(index, { value: lift(this.reducer, value, childId), childId });
  }

  skip(): void {}

  result(): unknown {
    const ordered = [...this.values.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
    const start = this.reducer.start;
    if (ordered.length === 0) return finish(this.reducer, start ? start() : this.reducer.empty());
    let acc = start ? start() : ordered[0]!.value;
    for (const item of start ? ordered : ordered.slice(1)) {
      acc = guarded(this.reducer, item.childId, () => this.reducer.combine(acc, item.value));
    }
    return finish(this.reducer, acc);
  }

  held(): number {
    return this.values.size;
  }
}

/**
 * A folder for the reducer: incremental for associative reducers, buffered otherwise.
 *
 * @param reducer - the reducer
 * @returns a fresh folder
 */
export function createFolder(reducer: Reducer): Folder {
  return reducer.associative ? new SegmentFolder(reducer) : new OrderedFolder(reducer);
}

/** The reducer's final step on its accumulator (a whole-list custom reducer runs here), if it has one. */
function finish(reducer: Reducer, acc: unknown): unknown {
  return reducer.finish === undefined ? acc : reducer.finish(acc);
}
