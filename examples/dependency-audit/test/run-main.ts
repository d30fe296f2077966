import { spawn } from "node:child_process";
import { resolve } from "node:path";

/** The built command. */
export const MAIN = resolve(import.meta.dirname, "../dist/main.js");

/** What a run of a command printed and how it ended. */
export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without npm's and pnpm's per-run variables (INIT_CWD, npm_*). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== "INIT_CWD" && !k.startsWith("npm_")) env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command to its end.
 *
 * @param command - executable
 * @param args - its arguments
 * @param options - working directory, environment, and a hook told of each stderr chunk
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; onStderr?: (text: string, kill: () => void) => void },
): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      options.onStderr?.(stderr, () => child.kill("SIGTERM"));
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Runs the built audit command with `args`. */
export function runMain(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    onStderr?: (text: string, kill: () => void) => void;
  } = {},
): Promise<Ran> {
  return run(process.execPath, [MAIN, ...args], { cwd: options.cwd ?? process.cwd(), ...options });
}
