import type { TextSink } from "./progress.js";

/** Where the CLI reads and writes: the process by default, replaceable in tests. */
export interface CliIo {
  /** Results and summaries. */
  readonly stdout: TextSink;
  /** Progress and errors; bars are drawn only when `isTTY` is true. */
  readonly stderr: TextSink & {
    /** True when stderr is a terminal: progress is drawn as bars. */
    readonly isTTY?: boolean;
  };
  /** Working directory for relative paths. */
  readonly cwd: string;
}
