import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { functionAgent } from "@echelon/core";
import { sqliteStore } from "@echelon/store-sqlite";
import { createOrchestrator } from "echelon";
import type { OrchestrationResult } from "@echelon/core";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectedSum, expectEqual, noopBody } from "./bodies.js";
import { expectSuccess } from "./echelon-setup.js";
import { CRASHED_RUN_ID } from "./journal-template.js";

const script = fileURLToPath(new URL("./journal-template.js", import.meta.url));

/**
 * Resume of a W1 run with all but one leaf done, from its SQLite journal: opening the file,
 * reading and folding the journal, running the last leaf and finishing. The journal is written
 * by another process, so with `warmup: 0` the measured iteration is a cold resume.
 */
const sqliteCold: VariantFactory = async (size) => {
  const dir = mkdtempSync(join(tmpdir(), "echelon-bench-resume-"));
  const template = join(dir, "template.db");
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  let ran = 0;
  const agent = functionAgent({ name: "noop" }, (work) => {
    ran++;
    return noopBody(work.input as number);
  });
  let n = 0;
  return async () => {
    if (!existsSync(template)) execFileSync(process.execPath, [script, template, String(size)]);
    const path = join(dir, `run-${n++}.db`);
    copyFileSync(template, path);
    ran = 0;
    const orchestrator = createOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 100],
      agents: [agent],
      plugins: [sqliteStore({ path, retention: false })],
    });
    return {
      run: () => orchestrator.resume(CRASHED_RUN_ID),
      async finish(output) {
        const result = output as OrchestrationResult;
        await orchestrator.shutdown();
        expectSuccess("resume/sqlite-cold", result);
        expectEqual("resume/sqlite-cold", result.result, expectedSum(size));
        // Only the leaf the crash interrupted runs again.
        expectEqual("resume/sqlite-cold leaves run", ran, 1);
        return { leavesRun: ran };
      },
    };
  };
};

/** Cold resume of a crashed W1 run from its SQLite journal (`sqlite-cold`). */
export const resumeWorkload: Workload = {
  name: "resume",
  variants: { "sqlite-cold": sqliteCold },
};
