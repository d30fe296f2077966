import type { AgentContext, EchelonError, Logger } from "@echelon/core";
import { isEchelonError, NonRetryableError } from "@echelon/core";
import { assertJsonSerializable } from "@echelon/core/plugin";
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { TransportErrorCode } from "./errors.js";
import type { HostAgents } from "./host-agents.js";
import type { HostCancels, RunningJob } from "./host-cancels.js";
import { type ReadJob, readJobData } from "./job-data.js";
import { describeError, encodeFailure, type ErrorData, FAILURE_VERSION, type RemoteSuccess } from "./wire.js";

/** What a worker host lends the processing of one job. */
export interface HostJobParts {
  readonly hostId: string;
  readonly queue: string;
  readonly agents: HostAgents;
  readonly cancels: HostCancels;
  readonly logger: Logger;
}

/** Sends progress to Redis with at most one update in flight per job; the latest value wins. */
function progressReporter(job: Job, logger: Logger): (progress: number, message?: string) => void {
  let inFlight = false;
  let next: { p: number; m?: string } | null = null;
  const send = (value: { p: number; m?: string }) => {
    inFlight = true;
    job.updateProgress(value).then(
      () => {
        inFlight = false;
        if (next !== null) {
          const queued = next;
          next = null;
          send(queued);
        }
      },
      (error: unknown) => {
        inFlight = false;
        logger.debug("progress not sent", {
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
  };
  return (progress, message) => {
    const value = {
      p: Math.max(0, Math.min(1, Number(progress) || 0)),
      ...(message !== undefined ? { m: message } : {}),
    };
    if (inFlight) next = value;
    else send(value);
  };
}

/**
 * A job's abort state, with its `AbortSignal` made only when something reads it: an agent that
 * never looks at `ctx.signal` costs no `AbortController` (one costs microseconds and GC work,
 * per job). Reading `signal` after an abort gives a signal already aborted with the reason.
 */
class JobAbort {
  private controller: AbortController | null = null;
  aborted = false;
  reason: unknown = undefined;

  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

function missingAgent(parts: HostJobParts, data: ReadJob): NonRetryableError {
  const needs = data.work.capabilities.length > 0 ? data.work.capabilities : data.offered;
  const serves = parts.agents.describe();
  return new NonRetryableError(
    `Worker host "${parts.hostId}" has no agent type for task "${data.work.nodePath}" (needs [${needs.join(", ")}] at level ${data.level}); ` +
      `it serves ${serves.map((s) => `${s.name} [${s.capabilities.join(", ")}]`).join(", ") || "nothing"}. ` +
      `Run every host of queue "${parts.queue}" with the agent types its jobs need, or give these tasks a queue of their own.`,
    {
      code: TransportErrorCode.AGENT_MISSING,
      details: { host: parts.hostId, queue: parts.queue, needs, level: data.level, serves },
    },
  );
}

/** The error as it crosses: plain agent errors get the task, agent and host in their message, like core's. */
function crossing(error: unknown, data: ReadJob | null, agentId: string | null, hostId: string): ErrorData {
  const described = describeError(error);
  if (isEchelonError(error) || data === null || described.code !== "ECHELON_TASK_FAILED") return described;
  return {
    ...described,
    message: `Task "${data.work.nodePath}" failed on agent "${agentId ?? "?"}" on worker host "${hostId}": ${described.message}`,
    cause: { name: described.name, message: described.message },
  };
}

/**
 * Runs one job on the host: reads the payload, picks the agent type, leases an agent, runs the
 * work with a context like the orchestrator's (signal, attempt, idempotency key, progress,
 * `stopOrchestration`), and returns the output in an envelope. Every failure is thrown as an
 * `UnrecoverableError` whose reason is the coded error as JSON (BullMQ never retries; the
 * orchestrator decides). A job given back on shutdown is moved to the delayed set for another
 * host instead.
 *
 * @param job - the BullMQ job
 * @param token - the job's lock token
 * @param parts - the host's agents, cancels and logger
 * @returns the success envelope
 * @throws UnrecoverableError with the coded error; DelayedError when given back
 */
export async function processJob(
  job: Job,
  token: string | undefined,
  parts: HostJobParts,
): Promise<RemoteSuccess> {
  const jobId = job.id ?? "?";
  const abort = new JobAbort();
  let givenBack = false;
  let stopError: EchelonError | null = null;
  let data: ReadJob | null = null;
  let agentId: string | null = null;
  const handle: RunningJob = {
    queue: parts.queue,
    jobId,
    abort: (reason) => abort.abort(reason),
    giveBack: (reason) => {
      givenBack = true;
      handle.abort(reason);
    },
  };
  parts.cancels.track(handle);
  try {
    data = readJobData(job.data, jobId);
    const type = parts.agents.match(data.work.capabilities, data.offered, data.level, data.levelIndex);
    if (type === null) throw missingAgent(parts, data);
    const leased = await parts.agents.lease(type, data.level, data.levelIndex, abort);
    agentId = leased.agent.id;
    let report: ((progress: number, message?: string) => void) | undefined;
    try {
      const ctx: AgentContext = {
        get signal() {
          return abort.signal;
        },
        attempt: data.attempt,
        idempotencyKey: data.idempotencyKey,
        orchestrationId: data.orchestrationId,
        level: data.level,
        logger: parts.logger,
        // Made on the first report: most agents never report.
        report: (progress, message) => {
          report ??= progressReporter(job, parts.logger);
          report(progress, message);
        },
        stopOrchestration: (error) => {
          stopError ??= error;
          handle.abort(error);
        },
      };
      const output = await leased.agent.execute(data.work, ctx);
      // The agent asked to stop the orchestration: that is the outcome, whatever it returned.
      if (stopError !== null) throw stopError;
      assertJsonSerializable(output, `output of task "${data.work.nodePath}"`);
      // Answered in the job's payload version: an orchestrator of an older release reads version 1 only
      // (versions 2 and 3 share the compact envelope).
      if (data.v !== 1) return output === undefined ? { v: 2 } : { v: 2, o: output };
      return { ok: true, output, host: parts.hostId, agentId: leased.agent.id };
    } finally {
      parts.agents.release(leased);
    }
  } catch (error) {
    if (givenBack) {
      await job.moveToDelayed(Date.now(), token).catch(() => {
        // Redis is away: the job's lock expires and BullMQ re-delivers it as stalled.
      });
      throw new DelayedError();
    }
    const reason: unknown = stopError ?? (abort.aborted ? abort.reason : error);
    throw new UnrecoverableError(
      encodeFailure({
        echelon: FAILURE_VERSION,
        host: parts.hostId,
        error: crossing(reason, data, agentId, parts.hostId),
        ...(stopError !== null ? { stop: true } : {}),
      }),
    );
  } finally {
    parts.cancels.untrack(parts.queue, jobId);
  }
}
