import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name === "test" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

/** Every `ECHELON_*` code declared in a package's errors module (core: errors/codes.ts). */
function declaredCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const group of ["packages", "plugins", "examples"]) {
    for (const pkg of readdirSync(join(root, group))) {
      const src = join(root, group, pkg, "src");
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        continue;
      }
      for (const file of files) {
        if (!/errors?(\.ts|\/)/.test(relative(src, file)) && !file.endsWith("codes.ts")) continue;
        for (const m of readFileSync(file, "utf8").matchAll(/"(ECHELON_[A-Z0-9_]+)"/g)) {
          codes.set(m[1]!, relative(root, file));
        }
      }
    }
  }
  return codes;
}

describe("error catalogue", () => {
  it("every declared error code is listed in docs/errors.md", () => {
    const docs = readFileSync(join(root, "docs", "errors.md"), "utf8");
    const codes = declaredCodes();
    expect(codes.size).toBeGreaterThan(20);
    const missing = [...codes].filter(([code]) => !docs.includes(`\`${code}\``)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
  });
});
