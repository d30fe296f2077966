import { CoreErrorCode, EchelonError } from "@echelon/core";

/** Options shared by {@link processAgent} and {@link nodeModuleAgent}. */
export interface ChildAgentOptions {
  /** Type name. */
  readonly name?: string;
  /** Level (name or index) the agents serve at; absent = any level. */
  readonly level?: string | number;
  /** Capabilities offered. Default none. */
  readonly capabilities?: readonly string[];
  /** Child processes one agent runs at once. Default 1. */
  readonly capacity?: number;
  /** Most agents alive at once. Default unbounded. */
  readonly maxInstances?: number;
  /** Working directory of the child. Default the current directory. */
  readonly cwd?: string;
  /** Extra environment variables, added to the inherited environment (see `inheritEnv`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Start from this process's environment. Default true; false gives the child only `env` and the ECHELON_* variables. */
  readonly inheritEnv?: boolean;
  /** Most stdout bytes kept; more kills the child with `ECHELON_PROCESS_OUTPUT_TOO_LARGE`. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** Wait between SIGTERM and SIGKILL to the child's process group (the child and what it started). Default 2000 ms. */
  readonly killGraceMs?: number;
  /** The agent's own per-process timeout (on top of the task's); fails with `ECHELON_TASK_TIMEOUT`. */
  readonly timeoutMs?: number;
}

/** The validated numbers of {@link ChildAgentOptions}. */
export interface ChildLimits {
  readonly capacity: number;
  readonly maxOutputBytes: number;
  readonly killGraceMs: number;
  readonly timeoutMs: number | undefined;
}

/** A configuration error of `factory` naming the option. */
export function invalidOption(factory: string, option: string, message: string): EchelonError {
  return new EchelonError(CoreErrorCode.CONFIG_INVALID, `${factory}: ${option} ${message}`, {
    details: { option },
  });
}

function integer(
  factory: string,
  option: string,
  value: number | undefined,
  min: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw invalidOption(factory, option, `must be an integer ≥ ${min}, got ${String(value)}.`);
  }
  return value;
}

/** Validates the shared options. @throws EchelonError `ECHELON_CONFIG_INVALID` */
export function checkChildOptions(factory: string, options: ChildAgentOptions): ChildLimits {
  integer(factory, "maxInstances", options.maxInstances, 1, 1);
  if (options.env !== undefined) {
    for (const [key, value] of Object.entries(options.env)) {
      if (typeof value !== "string") throw invalidOption(factory, `env.${key}`, "must be a string.");
    }
  }
  const timeoutMs =
    options.timeoutMs === undefined ? undefined : integer(factory, "timeoutMs", options.timeoutMs, 1, 1);
  return {
    capacity: integer(factory, "capacity", options.capacity, 1, 1),
    maxOutputBytes: integer(factory, "maxOutputBytes", options.maxOutputBytes, 1, 1024 * 1024),
    killGraceMs: integer(factory, "killGraceMs", options.killGraceMs, 0, 2000),
    timeoutMs,
  };
}

/** The child's environment. */
export function childEnv(options: ChildAgentOptions, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...(options.inheritEnv === false ? {} : process.env), ...options.env, ...extra };
}
