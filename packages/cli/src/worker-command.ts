import type { Logger } from "@echelon/core";
import type { startWorkerHost as StartWorkerHost } from "@echelon/transport-bullmq";
import { type Command, InvalidArgumentError } from "commander";
import { EchelonError } from "echelon";
import { CliErrorCode } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { loadAgents } from "./load-agents.js";

/** Options of `echelon worker`. */
interface WorkerOptions {
  readonly redis?: string;
  readonly agents?: string;
  readonly concurrency: number;
  readonly queue?: string[];
  readonly prefix?: string;
  readonly id?: string;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
}

function positive(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be an integer ≥ 1.`);
    return n;
  };
}

function stderrLogger(io: CliIo, verbose: boolean): Logger {
  const line = (level: string) => (message: string, data?: Readonly<Record<string, unknown>>) => {
    io.stderr.write(`${level}: ${message}${data === undefined ? "" : ` ${JSON.stringify(data)}`}\n`);
  };
  return {
    debug: () => {},
    info: verbose ? line("info") : () => {},
    warn: line("warning"),
    error: line("error"),
  };
}

async function loadTransport(): Promise<typeof StartWorkerHost> {
  const specifier = "@echelon/transport-bullmq";
  try {
    return ((await import(specifier)) as { startWorkerHost: typeof StartWorkerHost }).startWorkerHost;
  } catch (error) {
    throw new EchelonError(
      CliErrorCode.TRANSPORT_UNAVAILABLE,
      "echelon worker needs @echelon/transport-bullmq. Install it next to @echelon/cli.",
      { cause: error },
    );
  }
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (name: string) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(name);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/**
 * Registers `echelon worker`: a worker host serving the agents of a module from BullMQ queues
 * until SIGINT or SIGTERM, when it finishes or hands back its running jobs and exits 0.
 *
 * @param program - the `echelon` command
 * @param io - streams and working directory
 * @param setExitCode - receives the command's exit code
 */
export function registerWorkerCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  program
    .command("worker")
    .description("serve the agents of a module to orchestrators over Redis (BullMQ) until SIGINT/SIGTERM")
    .option("--redis <url>", "Redis URL of the orchestrators (default: $ECHELON_REDIS_URL)")
    .option(
      "-a, --agents <module>",
      "module exporting the agents this host runs (`export const agents = [...]`)",
    )
    .option("--concurrency <n>", "jobs run at once, per queue", positive("--concurrency"), 1)
    .option("--queue <name>", "queue to serve; repeatable (default: echelon)", (v: string, p?: string[]) => [
      ...(p ?? []),
      v,
    ])
    .option("--prefix <prefix>", "BullMQ key prefix (default: bull)")
    .option("--id <id>", "id of this host in results and logs (default: <hostname>:<pid>)")
    .option(
      "--lock-duration <ms>",
      "job lock; a dead host's jobs come back after it",
      positive("--lock-duration"),
    )
    .option("--stalled-interval <ms>", "how often to look for stalled jobs", positive("--stalled-interval"))
    .action(async (opts: WorkerOptions, command: Command) => {
      const redis = opts.redis ?? (process.env.ECHELON_REDIS_URL || undefined);
      if (redis === undefined || opts.agents === undefined) {
        throw new EchelonError(
          CliErrorCode.OPTION_INVALID,
          `echelon worker needs ${redis === undefined ? "--redis <url> (or $ECHELON_REDIS_URL)" : ""}${redis === undefined && opts.agents === undefined ? " and " : ""}${opts.agents === undefined ? "--agents <module>" : ""}.`,
        );
      }
      const verbose = command.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
      const agents = await loadAgents(opts.agents);
      const startWorkerHost = await loadTransport();
      const host = await startWorkerHost({
        connection: redis,
        agents,
        concurrency: opts.concurrency,
        logger: stderrLogger(io, verbose),
        ...(opts.queue !== undefined ? { queues: opts.queue } : {}),
        ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
        ...(opts.id !== undefined ? { id: opts.id } : {}),
        ...(opts.lockDuration !== undefined ? { lockDurationMs: opts.lockDuration } : {}),
        ...(opts.stalledInterval !== undefined ? { stalledIntervalMs: opts.stalledInterval } : {}),
      });
      const names = agents.map((a) => ("name" in a ? a.name : a.id)).join(", ");
      io.stderr.write(
        `worker host ${host.id} serving ${host.queues.join(", ")} (concurrency ${opts.concurrency}; agents: ${names}) — Ctrl-C to stop\n`,
      );
      const signal = await stopSignal();
      io.stderr.write(
        `${signal}: stopping worker host ${host.id} (running jobs finish or go back to the queue)\n`,
      );
      await host.close();
      io.stderr.write(`worker host ${host.id} stopped\n`);
      setExitCode(ExitCode.SUCCESS);
    });
}
