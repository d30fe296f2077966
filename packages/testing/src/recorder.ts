import { createHash } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Agent, AgentWork } from "@echelon/core";
import { abortError, raceAbort } from "@echelon/core/plugin";

/** What a recorded agent does for one piece of work. */
export interface WorkPlan {
  /** Rounds of real hashing, each followed by a turn of the event loop. */
  readonly rounds?: number;
  /** Fail with this message after the rounds. */
  readonly fail?: string;
  /** Output to return instead of the default `{ id, digest }`. */
  readonly output?: unknown;
  /** Wait for this before working (honouring the signal). */
  readonly gate?: Promise<unknown>;
}

/** One start or end of an agent execution, on a logical clock. */
export interface Mark {
  /** Whether an execution started or ended. */
  readonly kind: "start" | "end";
  /** The task's path below the root node (`a`, `a#item-1`, `group/b`). */
  readonly key: string;
  /** Position on the recorder's logical clock: 1, 2, 3, … across all marks, in the order they happened. */
  readonly seq: number;
  /** How the execution ended; only on `end` marks. */
  readonly outcome?: "completed" | "failed" | "aborted";
}

/**
 * Agents that do real (small) hashing work, honour their signal, and record when every
 * execution starts and ends, how many run at once, and whether any work happens after `stop()`.
 */
export class Recorder {
  /** Every start and end so far, in order. */
  readonly marks: Mark[] = [];
  /** Keys of the executions running now. */
  readonly running = new Set<string>();
  /** Most executions seen running at once. */
  maxRunning = 0;
  /** Rounds of hashing done so far, all executions together. */
  chunks = 0;
  /** Rounds of hashing done after {@link Recorder.stop}: should stay 0. */
  workAfterStop = 0;
  /** Executions started after {@link Recorder.stop}: should stay 0. */
  startsAfterStop = 0;
  /** Called after every round of work (a test may abort here). */
  onChunk: ((chunks: number) => void) | undefined;
  private seq = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Marks the moment the pattern returned: any work after this is a bug. */
  stop(): void {
    this.stopped = true;
  }

  /** Waits until every execution has finished unwinding (no timers involved). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * When the first execution of a task started.
   *
   * @param key - the task's path below the root node
   * @returns the start mark's `seq`, or `undefined` when it never started
   */
  startOf(key: string): number | undefined {
    return this.marks.find((m) => m.kind === "start" && m.key === key)?.seq;
  }

  /**
   * How the first execution of a task ended.
   *
   * @param key - the task's path below the root node
   * @returns the end mark (with `seq` and `outcome`), or `undefined` when it has not ended
   */
  endOf(key: string): Mark | undefined {
    return this.marks.find((m) => m.kind === "end" && m.key === key);
  }

  /** An agent whose behaviour per work item is given by `plan`. */
  agent(plan: (work: AgentWork) => WorkPlan, options: { id?: string; capacity?: number } = {}): Agent {
    return {
      id: options.id ?? "recorded",
      type: "test:recorded",
      capabilities: [],
      capacity: options.capacity ?? 16,
      execute: (work, ctx) => {
        const p = this.run(work, ctx.signal, plan(work));
        this.inFlight.add(p);
        p.then(
          () => this.inFlight.delete(p),
          () => this.inFlight.delete(p),
        );
        return p;
      },
    };
  }

  private async run(work: AgentWork, signal: AbortSignal, plan: WorkPlan): Promise<unknown> {
    // Keys are paths below the root the pattern coordinates (`slices/a#item-1` → `a#item-1`).
    const slash = work.nodePath.indexOf("/");
    const key = slash < 0 ? work.nodePath : work.nodePath.slice(slash + 1);
    if (this.stopped) this.startsAfterStop++;
    this.marks.push({ kind: "start", key, seq: ++this.seq });
    this.running.add(key);
    this.maxRunning = Math.max(this.maxRunning, this.running.size);
    let ended = false;
    const end = (outcome: "completed" | "failed" | "aborted") => {
      if (ended) return;
      ended = true;
      this.running.delete(key);
      this.marks.push({ kind: "end", key, seq: ++this.seq, outcome });
    };
    const onAbort = () => end("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      if (signal.aborted) throw abortError(signal);
      if (plan.gate) await raceAbort(plan.gate, signal);
      let digest = JSON.stringify(work.input ?? null);
      for (let r = 0; r < (plan.rounds ?? 1); r++) {
        if (signal.aborted) throw abortError(signal);
        if (this.stopped) this.workAfterStop++;
        digest = createHash("sha256").update(digest).digest("hex");
        this.chunks++;
        this.onChunk?.(this.chunks);
        await nextTurn();
      }
      if (signal.aborted) throw abortError(signal);
      if (plan.fail !== undefined) throw new Error(plan.fail);
      end("completed");
      return plan.output ?? { id: work.taskId, digest: digest.slice(0, 8) };
    } catch (error) {
      end(signal.aborted ? "aborted" : "failed");
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
}
