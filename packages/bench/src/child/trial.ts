import type { Extra } from "./protocol.js";

/** One prepared iteration of a workload variant. */
export interface Iteration {
  /** The measured work (timed, and profiled when asked); resolves with the output. */
  run(): Promise<unknown>;
  /**
   * When the work is timed elsewhere (in a fresh process it starts), the time it reports, ms;
   * it replaces the wall time of `run` around it. Absent: the wall time of `run`.
   */
  reportedMs?(output: unknown): number;
  /**
   * Untimed: checks the output against the expected one (throwing `ECHELON_BENCH_OUTPUT_MISMATCH`),
   * releases what setup created, and returns the iteration's figures.
   */
  finish(output: unknown): Promise<Readonly<Record<string, Extra>>> | Readonly<Record<string, Extra>>;
}

/** Prepares one iteration (untimed setup: a fresh orchestrator, a validated plan …). */
export type Trial = () => Promise<Iteration>;

/** Builds the trial of one variant at one size (once per child process). */
export type VariantFactory = (size: number, options: Readonly<Record<string, Extra>>) => Promise<Trial>;

/** A workload: its variants by name. */
export interface Workload {
  readonly name: string;
  readonly variants: Readonly<Record<string, VariantFactory>>;
}
