import type { Extra } from "./protocol.js";

/** What one timed iteration reports. */
export interface TrialOutcome {
  /** Time of the measured part, milliseconds (setup and checks excluded). */
  readonly ms: number;
  /** Figures of this iteration (overhead, agents used, output hash …). */
  readonly extra?: Readonly<Record<string, Extra>>;
}

/**
 * One iteration of a workload variant: does its own untimed setup (a fresh orchestrator),
 * times the work, checks the output against the expected one and cleans up.
 */
export type Trial = () => Promise<TrialOutcome>;

/** Builds the trial of one variant at one size. */
export type VariantFactory = (size: number, options: Readonly<Record<string, Extra>>) => Promise<Trial>;

/** A workload: its variants by name. */
export interface Workload {
  readonly name: string;
  readonly variants: Readonly<Record<string, VariantFactory>>;
}

/**
 * Times `fn` with the monotonic clock.
 *
 * @param fn - the work
 * @returns its value and the elapsed milliseconds
 */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}
