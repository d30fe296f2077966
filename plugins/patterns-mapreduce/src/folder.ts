import { EchelonError } from "@echelon/core";
import { MapReduceErrorCode } from "./errors.js";
import type { Reducer } from "./reducer.js";

/** Folds indexed values (map outputs or partition results) with a reducer. */
export interface Folder {
  /**
   * Adds the value at `index` (each index once). `fresh` says that nothing else holds `value`
   * (a partition's result from a folder of the same reducer), so it may be merged into without
   * a copy; an agent's output is never fresh.
   */
  add(index: number, value: unknown, childId: string, fresh?: boolean): void;
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

/**
 * `left` in a form `combine` may mutate: as is when the folder owns it, else the reducer's `own`
 * copy. A value is unowned only when the reducer has `own` (its `lift` may then return the
 * agent's output itself, which must never be mutated).
 */
function mutable(reducer: Reducer, left: unknown, owned: boolean): unknown {
  return owned ? left : reducer.own!(left);
}

/** Whether a freshly lifted value belongs to the folder (always, for a reducer without `own`). */
function liftedOwned(reducer: Reducer): boolean {
  return reducer.own === undefined;
}

interface Segment {
  readonly start: number;
  end: number;
  value: unknown;
  /** Whether `value` may be mutated (see {@link mutable}). */
  owned: boolean;
}

/**
 * Incremental folding for an associative reducer: each arriving value becomes a segment
 * `[i, i+1)`; adjacent segments are merged at once (left before right). Only segments separated
 * by a still-missing index are held, so memory is O(values in flight), not O(n), and the result
 * equals the left-to-right fold whatever the arrival order. With a reducer that has `own`, a
 * segment holding an agent's output is copied once, when something is first combined into it.
 */
class SegmentFolder implements Folder {
  private readonly byStart = new Map<number, Segment>();
  private readonly byEnd = new Map<number, Segment>();

  constructor(private readonly reducer: Reducer) {}

  add(index: number, value: unknown, childId: string, fresh = false): void {
    this.insert(index, lift(this.reducer, value, childId), fresh || liftedOwned(this.reducer), childId);
  }

  skip(index: number): void {
    this.insert(index, GAP, true, undefined);
  }

  /** Folds `value` into `target`, on its right. */
  private absorb(target: Segment, value: unknown, owned: boolean, childId: string | undefined): void {
    if (value === GAP) return;
    if (target.value === GAP) {
      target.value = value;
      target.owned = owned;
      return;
    }
    try {
      target.value = this.reducer.combine(mutable(this.reducer, target.value, target.owned), value);
    } catch (error) {
      throw reduceFailed(this.reducer, childId, error);
    }
    target.owned = true;
  }

  private insert(index: number, value: unknown, owned: boolean, childId: string | undefined): void {
    let segment = this.byEnd.get(index);
    if (segment) {
      this.byEnd.delete(index);
      this.absorb(segment, value, owned, childId);
      segment.end = index + 1;
    } else {
      segment = { start: index, end: index + 1, value, owned };
      this.byStart.set(index, segment);
    }
    const right = this.byStart.get(segment.end);
    if (right) {
      this.byStart.delete(right.start);
      this.byEnd.delete(right.end);
      this.absorb(segment, right.value, right.owned, childId);
      segment.end = right.end;
    }
    this.byEnd.set(segment.end, segment);
  }

  result(): unknown {
    const segments = [...this.byStart.values()].sort((a, b) => a.start - b.start);
    const acc: Segment = { start: 0, end: 0, value: GAP, owned: true };
    for (const s of segments) this.absorb(acc, s.value, s.owned, undefined);
    if (acc.value === GAP) return finish(this.reducer, this.reducer.empty());
    return finish(
      this.reducer,
      guarded(this.reducer, undefined, () => mutable(this.reducer, acc.value, acc.owned)),
    );
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
    // Never merged into as is unless the reducer has no `own` (see `result`): `fresh` is not needed.
    this.values.set(index, { value: lift(this.reducer, value, childId), childId });
  }

  skip(): void {}

  result(): unknown {
    const ordered = [...this.values.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
    const reducer = this.reducer;
    const start = reducer.start;
    if (ordered.length === 0) return finish(reducer, start ? start() : reducer.empty());
    let acc = start ? start() : ordered[0]!.value;
    let owned = start !== undefined || liftedOwned(reducer);
    for (const item of start ? ordered : ordered.slice(1)) {
      const left = acc;
      const leftOwned = owned;
      acc = guarded(reducer, item.childId, () =>
        reducer.combine(mutable(reducer, left, leftOwned), item.value),
      );
      owned = true;
    }
    return finish(
      reducer,
      guarded(reducer, undefined, () => mutable(reducer, acc, owned)),
    );
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
