import { EchelonError, toEchelonError } from "@echelon/core";
import {
  abortError,
  linkedController,
  type Pattern,
  type PatternChild,
  type PatternContext,
  type PatternOutcome,
} from "@echelon/core/plugin";
import { type HedgeWin, hedgeOne } from "./hedge-one.js";
import { resolveHedgeOptions } from "./options.js";

/**
 * Hedged requests (after "The Tail at Scale"): each child runs on one agent; if no answer
 * comes within `hedgeAfterMs`, a backup attempt starts (on whichever agent is free); the first
 * answer wins and the loser is aborted. Children run in parallel, each using up to
 * `1 + maxHedges` slots, so about `ctx.concurrency / (1 + maxHedges)` children are in flight.
 * The result lists the outputs in child order. Fail-fast: when every attempt of a child fails,
 * the other children are aborted and the run fails with that child's error.
 */
export class HedgedPattern implements Pattern {
  readonly name = "hedged";
  readonly ordering = "parallel" as const;

  /** @param defaults - options applied under each run's own options */
  constructor(private readonly defaults: Readonly<Record<string, unknown>> = {}) {}

  /**
   * Runs every child hedged.
   *
   * @throws EchelonError `ECHELON_HEDGE_OPTIONS_INVALID` before any work; a child's error when all its attempts fail; `ECHELON_CANCELLED`
   */
  async execute(children: readonly PatternChild[], ctx: PatternContext): Promise<PatternOutcome> {
    const options = resolveHedgeOptions({ ...this.defaults, ...ctx.options });
    if (ctx.signal.aborted) throw abortError(ctx.signal, "The hedged run");
    const window = Math.max(1, Math.floor(ctx.concurrency / (1 + options.maxHedges)));
    const wins: HedgeWin[] = new Array(children.length);
    const link = linkedController(ctx.signal);
    let failure: EchelonError | null = null;
    let next = 0;
    const lane = async () => {
      while (next < children.length && failure === null && !link.signal.aborted) {
        const index = next++;
        try {
          wins[index] = await hedgeOne(ctx, children[index]!, options, link.signal);
        } catch (error) {
          if (failure === null && !ctx.signal.aborted) {
            failure = toEchelonError(error, "ECHELON_TASK_FAILED");
            link.controller.abort(
              new EchelonError("ECHELON_CANCELLED", `Cancelled: "${children[index]!.id}" failed.`),
            );
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(window, children.length) }, lane));
    } finally {
      link.dispose();
    }
    if (ctx.signal.aborted) throw abortError(ctx.signal, "The hedged run");
    if (failure) throw failure;
    return {
      result: wins.map((w) => w.output),
      details: {
        hedgeAfterMs: options.hedgeAfterMs,
        maxHedges: options.maxHedges,
        hedged: wins.filter((w) => w.attempts > 1).length,
        winners: Object.fromEntries(children.map((c, i) => [c.id, wins[i]!.invocation])),
      },
    };
  }
}
