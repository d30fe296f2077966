import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { OrchestrationRun } from "../runtime/orchestration-run.js";

/**
 * The runs one orchestrator knows, by id, oldest first: running ones, and the newest
 * `retainFinished` finished ones (for status look-ups after the end). Once closed (the
 * orchestrator shut down) it refuses new runs. Internal.
 */
export class RunRegistry {
  private readonly runs = new Map<string, OrchestrationRun>();
  private isClosed = false;

  /** @param retainFinished - finished runs kept for status look-ups; older ones are forgotten */
  constructor(private readonly retainFinished: number) {}

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
  }

  /** Forgets a run (one that never got going: bad input, a lease held elsewhere). */
  remove(orchestrationId: string): void {
    this.runs.delete(orchestrationId);
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
        `No orchestration "${orchestrationId}" is known here (finished ones are kept for the last ${this.retainFinished}).`,
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

  /** Forgets the oldest finished runs beyond `retainFinished`; running ones are always kept. */
  forgetOldRuns(): void {
    let finished = 0;
    for (const run of this.runs.values()) if (!run.active) finished++;
    for (const [id, run] of this.runs) {
      if (finished <= this.retainFinished) return;
      if (!run.active) {
        this.runs.delete(id);
        finished--;
      }
    }
  }
}
