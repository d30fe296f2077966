import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

describe("quick start", () => {
  it("counts the words of three real READMEs twice, with the same answer", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      resolve(import.meta.dirname, "../dist/main.js"),
    ]);
    let expected = 0;
    for (const p of ["typescript", "vite", "vitest"]) {
      const text = await readFile(
        resolve(import.meta.dirname, "../../../node_modules", p, "README.md"),
        "utf8",
      );
      expected += text.split(/\s+/).filter(Boolean).length;
    }
    const [first, second] = stdout.trim().split("\n");
    expect(first).toMatch(new RegExp(`^${expected} words in [0-9.]+ s, \\d+ agents, 2 levels$`));
    expect(second).toMatch(new RegExp(`^${expected} words again, completed in`));
  });
});
