import { resolve } from "node:path";
import { watchLongRun } from "./run.js";

const { result } = await watchLongRun(resolve(process.argv[2] ?? "../.."), {
  onSample: (s) =>
    console.log(
      `${String(s.atMs).padStart(6)} ms  ${s.state.padEnd(9)} ${s.progress.toFixed(0).padStart(3)} %  ` +
        `${s.completed} done, ${s.running} running, ${s.throughputPerSec.toFixed(1)} tasks/s, ` +
        `ETA ${s.etaMs === null ? "?" : `${(s.etaMs / 1000).toFixed(1)} s`}`,
    ),
});
const hashed = result.result as Array<{ files: number; bytes: number }>;
const bytes = hashed.reduce((n, h) => n + h.bytes, 0);
const files = hashed.reduce((n, h) => n + h.files, 0);
console.log(
  `\n${result.state}: ${files} files, ${(bytes / 1e6).toFixed(0)} MB hashed in ${result.executionTime.toFixed(2)} s`,
);
