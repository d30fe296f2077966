import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const here = join(import.meta.dirname, "..");

describe("the README", () => {
  it("its usage snippet compiles and runs as written (a worker host, an orchestrator, one Redis)", async () => {
    const ts = await import("typescript");
    const snippet = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(here, "README.md"), "utf8"))![1]!;
    const js = ts.transpileModule(snippet, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    // Inside the package folder, so the package's own name resolves to its build.
    const file = join(here, `.readme-snippet-${process.pid}.mjs`);
    writeFileSync(file, js);
    try {
      const out = execFileSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
      expect(out.trim()).toBe("true HELLO");
    } finally {
      rmSync(file, { force: true });
    }
  });
});
