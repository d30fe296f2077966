import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { EchelonError } from "@echelon/core";
import { BenchErrorCode } from "../errors.js";

/** The no-op task body of the fan-out workloads: returns its input, asynchronously. */
export async function noopBody(input: number): Promise<number> {
  return input;
}

/**
 * The timer task body: waits `ms` on a real timer (time itself is what W2 and W4 measure).
 *
 * @param ms - how long
 * @param signal - cancels the wait
 * @returns 1
 */
export async function timerBody(ms: number, signal?: AbortSignal): Promise<number> {
  await sleep(ms, undefined, signal === undefined ? undefined : { signal });
  return 1;
}

/**
 * A small real step: SHA-256 of the text, hex (saga steps, scatter-gather respondents).
 *
 * @param text - what to hash
 * @returns the digest
 */
export function hashBody(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * One signal shared by every task of a baseline iteration, as a user wiring cancellation into
 * `Promise.all` or `p-limit` would (no listener limit, since every running task listens).
 *
 * @returns a signal that is never aborted
 */
export function sharedSignal(): AbortSignal {
  const { signal } = new AbortController();
  setMaxListeners(0, signal);
  return signal;
}

/** Sum of 0 … n − 1, the expected output of the no-op fan-out. */
export function expectedSum(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Throws when a variant's output differs from the expected one.
 *
 * @param what - which workload and variant
 * @param actual - the output
 * @param expected - the expected output
 * @throws EchelonError `ECHELON_BENCH_OUTPUT_MISMATCH`
 */
export function expectEqual(what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    throw new EchelonError(
      BenchErrorCode.OUTPUT_MISMATCH,
      `${what}: output ${a?.slice(0, 200)} differs from the expected ${e?.slice(0, 200)}. The figure would be meaningless; fix the variant.`,
      { details: { what } },
    );
  }
}

/**
 * Runs `count` tasks with at most `cap` in flight, the way one would by hand: `cap` async
 * workers pulling the next index (a plain loop under `Promise.all`).
 *
 * @param count - tasks
 * @param cap - concurrency cap
 * @param body - the task body
 * @returns outputs in task order
 */
export async function workerPool<T>(
  count: number,
  cap: number,
  body: (i: number) => Promise<T>,
): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await body(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(cap, count) }, worker));
  return out;
}
