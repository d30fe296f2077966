import { NodePath } from "../run-state/node-path.js";
import type { ReplayLog } from "./replay-log.js";

/**
 * How a resumed run finishes a cancel that was under way when its process died (the journal
 * holds `orchestration:cancelling`), or that another process requested while no process held
 * the run. The run's signal is aborted at once, so no new work starts; but a composite that
 * had started before the crash is entered again under a gate of its own, not aborted yet, so
 * its pattern re-reaches from the journal the point where the cancel found it. The gate closes
 * (with the run's cancel reason) when the composite, or a composite below it, reaches work the
 * journal does not hold as finished: that work is cancelled, and a saga compensates exactly the
 * steps it had completed, as it would have in the process that died. Without the gates a saga
 * cut while compensating (or while the cancel reached it) would never be compensated.
 */
export class ResumeCancel {
  private readonly gates = new Map<string, AbortController>();

  /**
   * @param replay - the run's journal as the resume found it
   * @param signal - the run's signal, already aborted by the cancel
   */
  constructor(
    private readonly replay: ReplayLog,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * Lets a node in that the journal does not hold as finished.
   *
   * @param path - the node's path in the run
   * @param composite - true for a composite (or expanding) node
   * @returns the node's own gate signal when it is a composite that had started before the
   *   crash; otherwise `null`: the node is new work, the gates of the composites around it close
   *   and it runs under its (now aborted) signal, so it is cancelled
   */
  enter(path: string, composite: boolean): AbortSignal | null {
    if (composite && this.replay.startedComposite(path)) {
      const gate = new AbortController();
      this.gates.set(path, gate);
      return gate.signal;
    }
    for (let up = NodePath.parent(path); up !== null; up = NodePath.parent(up)) {
      const gate = this.gates.get(up);
      if (gate !== undefined && !gate.signal.aborted) gate.abort(this.signal.reason);
    }
    return null;
  }
}
