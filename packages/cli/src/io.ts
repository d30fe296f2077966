import type { TextSink } from "./progress.js";

/** Where the CLI reads and writes: the process by default, replaceable in tests. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink & { readonly isTTY?: boolean };
  /** Working directory for relative paths. */
  readonly cwd: string;
}
