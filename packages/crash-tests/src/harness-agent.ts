import { createHash } from "node:crypto";
import { type AgentType, type AgentWork, functionAgent, NonRetryableError } from "echelon";
import type { EffectsLedger, Phase } from "./effects-ledger.js";
import type { Act } from "./plans.js";

/** What the harness agent needs from the process it runs in. */
export interface HarnessAgentOptions {
  readonly ledger: EffectsLedger;
  readonly phase: Phase;
  /** Cancels an orchestration of this process (`orchestrator.cancelOrchestration`). */
  readonly cancel: (orchestrationId: string) => void;
  /** Called when a `wait-for-cancel` step starts waiting (the parent then requests the cancel). */
  readonly onWaiting: () => void;
}

/** Resolves when `signal` aborts, or after `ms`. */
function abortedOr(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The value a leaf returns: its id and a digest of its input (so a changed input shows). */
function outputOf(work: AgentWork, act: Act): unknown {
  if (typeof work.input === "number") return work.input * work.input + 1;
  const digest = createHash("sha256")
    .update(JSON.stringify(work.input ?? null))
    .digest("hex")
    .slice(0, 12);
  return act === "undo" ? { undone: work.taskId, of: digest } : { did: work.taskId, from: digest };
}

/**
 * The one agent type of the harness. Each leaf's `metadata.act` says what it does (see
 * {@link Act}); effects go through the {@link EffectsLedger} under `ctx.idempotencyKey`, so a
 * leaf that runs again after a crash applies nothing twice.
 */
export function harnessAgent(options: HarnessAgentOptions): AgentType {
  const { ledger, phase } = options;
  return functionAgent({ name: "harness", capacity: 16 }, async (work, ctx) => {
    // Real interleaving: other leaves and journal writes happen while this one "works".
    await new Promise<void>((resolve) => setImmediate(resolve));
    const act = (work.metadata.act as Act | undefined) ?? "effect";
    const key = ctx.idempotencyKey;
    switch (act) {
      case "fail":
        ledger.attempt(key);
        throw new NonRetryableError(`${work.taskId} was declined by the bank.`);
      case "cancel":
        ledger.attempt(key);
        options.cancel(ctx.orchestrationId);
        await abortedOr(ctx.signal, 10_000);
        throw ctx.signal.reason ?? new Error(`${work.taskId}: the cancel did not arrive`);
      case "wait-for-cancel":
        if (phase === "run") {
          options.onWaiting();
          await abortedOr(ctx.signal, 10_000);
          if (ctx.signal.aborted) {
            ledger.attempt(key);
            throw ctx.signal.reason;
          }
        }
        break;
      case "effect":
      case "undo":
        break;
    }
    ledger.apply(key);
    return outputOf(work, act);
  });
}
