import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { OrchestrationRun } from "../runtime/orchestration-run.js";
import { estimateFinishedRunBytes } from "./run-size.js";

/** How many finished runs a {@link RunRegistry} keeps, by count and by estimated size. */
export interface Retention {
  /** Finished runs kept for status look-ups (0 to 1,000,000). */
  readonly count: number;
  /** Estimated bytes the finished runs may hold together (see `estimateFinishedRunBytes`). */
  readonly bytes: number;
}

/**
 * The runs one orchestrator knows, by id, oldest first: running ones, and the newest finished
 * ones within the retention bounds (for status look-ups after the end). Once closed (the
 * orchestrator shut down) it refuses new runs. Internal.
 */
export class RunRegistry {
  private readonly runs = new Map<string, OrchestrationRun>();
  /** Estimated size of each finished run, measured once, when first seen finished. */
  private readonly sizes = new Map<string, number>();
  private isClosed = false;

  /** @param retain - finished runs kept for status look-ups; older ones are forgotten */
  constructor(private readonly retain: Retention) {}

  /** True once {@link RunRegistry.close} was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Refuses new runs from now on (the known ones stay known). */
  close(): void {
    this.isClosed = true;
  }

  /**
   * Checks that a run with this id may start.
   *
   * @throws EchelonError `ECHELON_ORCHESTRATOR_SHUT_DOWN` once closed; `ECHELON_ORCHESTRATION_DUPLICATE`
   *   when a run with this id is active
   */
  assertCanStart(orchestrationId: string): void {
    if (this.isClosed) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATOR_SHUT_DOWN,
        "The orchestrator was shut down; create a new one.",
      );
    }
    if (this.runs.get(orchestrationId)?.active) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATION_DUPLICATE,
        `Orchestration "${orchestrationId}" is already running here. Use another orchestrationId, or wait for it to end.`,
        { details: { orchestrationId } },
      );
    }
  }

  /** Adds (or replaces) the run under its id; a replaced id keeps its place in the order. */
  add(run: OrchestrationRun): void {
    this.runs.set(run.id, run);
    this.sizes.delete(run.id);
  }

  /** Forgets a run (one that never got going: bad input, a lease held elsewhere). */
  remove(orchestrationId: string): void {
    this.runs.delete(orchestrationId);
    this.sizes.delete(orchestrationId);
  }

  /** The run with this id, or `undefined`. */
  get(orchestrationId: string): OrchestrationRun | undefined {
    return this.runs.get(orchestrationId);
  }

  /**
   * The run with this id.
   *
   * @throws EchelonError `ECHELON_ORCHESTRATION_UNKNOWN` when there is none (never started here, or forgotten)
   */
  require(orchestrationId: string): OrchestrationRun {
    const run = this.runs.get(orchestrationId);
    if (run === undefined) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATION_UNKNOWN,
        `No orchestration "${orchestrationId}" is known here (finished ones are kept for the last ${this.retain.count}, within ${mib(this.retain.bytes)} MiB: raise retainFinished or retainFinishedBytes to keep more).`,
        { details: { orchestrationId } },
      );
    }
    return run;
  }

  /** True when a run with this id is known. */
  has(orchestrationId: string): boolean {
    return this.runs.has(orchestrationId);
  }

  /** Ids of the known runs, oldest first. */
  ids(): string[] {
    return [...this.runs.keys()];
  }

  /** The known runs, oldest first. */
  values(): IterableIterator<OrchestrationRun> {
    return this.runs.values();
  }

  /** Estimated bytes the retained finished runs hold together. */
  get finishedBytes(): number {
    let bytes = 0;
    for (const size of this.sizes.values()) bytes += size;
    return bytes;
  }

  /**
   * Forgets finished runs larger than `retain.bytes` by themselves, then the oldest finished
   * runs beyond `retain.count` or while they hold more than `retain.bytes` together; running
   * ones are always kept. A finished run is measured once.
   */
  forgetOldRuns(): void {
    let finished = 0;
    let bytes = 0;
    for (const run of this.runs.values()) {
      if (run.active) continue;
      const size = this.sizeOf(run);
      if (size > this.retain.bytes) {
        this.remove(run.id);
        continue;
      }
      finished++;
      bytes += size;
    }
    for (const [id, run] of this.runs) {
      if (finished <= this.retain.count && bytes <= this.retain.bytes) return;
      if (run.active) continue;
      bytes -= this.sizes.get(id) ?? 0;
      finished--;
      this.remove(id);
    }
  }

  /** The estimated size of a finished run, measured the first time it is asked for. */
  private sizeOf(run: OrchestrationRun): number {
    let size = this.sizes.get(run.id);
    if (size === undefined) {
      size = estimateFinishedRunBytes(run);
      this.sizes.set(run.id, size);
    }
    return size;
  }
}

const mib = (bytes: number): string => String(Math.round((bytes / 2 ** 20) * 10) / 10);
