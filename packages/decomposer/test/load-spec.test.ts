import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EchelonError, isEchelonError } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "echelon-spec-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<EchelonError> {
  try {
    await promise;
  } catch (error) {
    if (isEchelonError(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("loadSpec", () => {
  it("loads and validates a YAML spec", async () => {
    const path = file(
      "release.yaml",
      [
        "description: Release 2.0",
        "pattern: pipeline",
        "children:",
        "  - id: build",
        "    description: Build",
        "  - description: Ship",
        "    dependsOn: [build]",
        "",
      ].join("\n"),
    );
    const spec = await loadSpec(path);
    expect(spec.description).toBe("Release 2.0");
    expect(spec.children!.map((c) => c.id)).toEqual(["build", "2"]);
    expect(Object.isFrozen(spec)).toBe(true);
  });

  it("loads a JSON spec", async () => {
    const path = file("task.json", JSON.stringify({ description: "Hash files", capabilities: ["hash"] }));
    expect(await loadSpec(path)).toMatchObject({ description: "Hash files", capabilities: ["hash"] });
  });

  it("reports YAML syntax errors with file and line", async () => {
    const path = file("broken.yml", "description: ok\nchildren:\n  - description: [unclosed\n");
    const error = await failure(loadSpec(path));
    expect(error.code).toBe("ECHELON_SPEC_PARSE_FAILED");
    expect(error.details).toMatchObject({ file: path, format: "yaml" });
    expect(typeof error.details.line).toBe("number");
    expect(error.message).toContain(path);
  });

  it("reports JSON syntax errors with file and line", async () => {
    const path = file("broken.json", '{\n  "description": "x",\n  "children": [,]\n}');
    const error = await failure(loadSpec(path));
    expect(error.code).toBe("ECHELON_SPEC_PARSE_FAILED");
    expect(error.details).toMatchObject({ file: path, format: "json", line: 3 });
  });

  it("reports schema problems with the file and the path inside the spec", async () => {
    const path = file(
      "invalid.yaml",
      "description: Release\nchildren:\n  - description: Build\n  - description: Ship\n    dependsOn: [nope]\n    timeoutMs: -1\n",
    );
    const error = await failure(loadSpec(path));
    expect(error.code).toBe("ECHELON_SPEC_INVALID");
    expect(error.details.file).toBe(path);
    const paths = (error.details.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["children[1].timeoutMs"]));
    expect(error.message).toContain(path);
  });

  it("checks depth and registered patterns when asked", async () => {
    const path = file(
      "deep.json",
      JSON.stringify({ description: "a", pattern: "hedge", children: [{ description: "b" }] }),
    );
    expect((await failure(loadSpec(path, { maxDepth: 0 }))).code).toBe("ECHELON_SPEC_TOO_DEEP");
    expect((await failure(loadSpec(path, { patterns: ["fork-join"] }))).code).toBe("ECHELON_PATTERN_UNKNOWN");
  });

  it("rejects missing files and unknown extensions", async () => {
    expect((await failure(loadSpec(join(dir, "missing.yaml")))).code).toBe("ECHELON_SPEC_FILE_UNREADABLE");
    expect((await failure(loadSpec(file("spec.toml", "description = 'x'")))).code).toBe(
      "ECHELON_SPEC_FORMAT_UNSUPPORTED",
    );
  });
});
