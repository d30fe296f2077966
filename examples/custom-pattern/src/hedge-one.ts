import { EchelonError } from "@echelon/core";
import { abortError, linkedController, type PatternChild, type PatternContext } from "@echelon/core/plugin";
import type { ResolvedHedgeOptions } from "./options.js";

/** The winning attempt of one hedged child. */
export interface HedgeWin {
  readonly output: unknown;
  /** `primary` or `hedge-<k>`. */
  readonly invocation: string;
  /** Attempts started for the child. */
  readonly attempts: number;
}

/**
 * Runs one child with hedging: a primary attempt; a backup when no answer came within
 * `hedgeAfterMs` (or at once when an attempt fails), up to `maxHedges` backups. The first
 * success wins and the other attempts are aborted; resolves once every attempt has settled.
 *
 * @throws the last attempt's error when every attempt failed; `ECHELON_CANCELLED` on abort
 */
export function hedgeOne(
  ctx: PatternContext,
  child: PatternChild,
  options: ResolvedHedgeOptions,
  signal: AbortSignal,
): Promise<HedgeWin> {
  const race = linkedController(signal);
  const attempts: Promise<unknown>[] = [];
  let failed = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;

  return new Promise<HedgeWin>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      done = true;
      clearTimeout(timer);
      race.controller.abort(
        new EchelonError("ECHELON_CANCELLED", `Attempt of "${child.id}" lost the hedge race.`),
      );
      void Promise.allSettled(attempts).then(() => {
        race.dispose();
        outcome();
      });
    };
    const launch = () => {
      if (done || signal.aborted) return;
      const k = attempts.length;
      const invocation = k === 0 ? "primary" : `hedge-${k}`;
      const attempt = ctx.runChild(child, { signal: race.signal, invocation });
      attempts.push(attempt);
      attempt.then(
        (output) => {
          if (!done) finish(() => resolve({ output, invocation, attempts: attempts.length }));
        },
        (error: unknown) => {
          if (done) return;
          failed++;
          if (signal.aborted) finish(() => reject(abortError(signal)));
          else if (attempts.length <= options.maxHedges) {
            clearTimeout(timer);
            launch();
          } else if (failed === attempts.length) finish(() => reject(error));
        },
      );
      if (attempts.length <= options.maxHedges) timer = setTimeout(launch, options.hedgeAfterMs);
    };
    launch();
  });
}
