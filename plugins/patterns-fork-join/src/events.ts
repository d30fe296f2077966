/** Payload of `fork-join:childSkipped`: a child that was never started, and why. */
export interface ForkJoinChildSkippedEvent {
  /** Id of the child. */
  readonly child: string;
  /** `dependency-failed`: a dependency did not complete; `stopped`: the fork-join stopped early. */
  readonly reason: "dependency-failed" | "stopped";
  /** The dependency that did not complete, for `dependency-failed`. */
  readonly dependency: string | null;
}

/** Payload of `fork-join:childrenAborted`: running children aborted by the pattern. */
export interface ForkJoinChildrenAbortedEvent {
  /** Ids of the children aborted. */
  readonly children: readonly string[];
  /** `failure`: a sibling failed under fail-fast; `satisfied`: the join strategy needed no more. */
  readonly reason: "failure" | "satisfied";
  /** The child whose failure triggered fail-fast, or `null`. */
  readonly trigger: string | null;
}

declare module "@echelon/core" {
  interface EchelonEventMap {
    /** A fork-join child was skipped (never started). */
    "fork-join:childSkipped": ForkJoinChildSkippedEvent;
    /** A fork-join aborted its running children (fail-fast, or join satisfied). */
    "fork-join:childrenAborted": ForkJoinChildrenAbortedEvent;
  }
}
