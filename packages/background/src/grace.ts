import { EchelonError } from "@echelon/core";

/**
 * Waits for `done`, at most `graceMs`.
 *
 * @returns true when `done` settled in time, false when the grace period passed first
 */
export async function settledWithin(done: Promise<void>, graceMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, graceMs, false);
  });
  try {
    return await Promise.race([done.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error of a run ended without its work, which ignored the abort (`reason`, kept as
 * code and cause) for the whole grace period.
 */
export function ignoredAbortError(reason: EchelonError, graceMs: number, disposed: boolean): EchelonError {
  return new EchelonError(
    reason.code,
    `${reason.message} Its work ignored the abort for ${graceMs} ms, so the run was ended without it${disposed ? " and its agent was disposed" : ""}; make the agent honour its signal.`,
    { cause: reason, details: { ...reason.details, graceMs } },
  );
}
