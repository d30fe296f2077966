import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { consistency, readChangesets, readManifests } from "../src/checks.js";
import { checkWorkspace } from "../src/run.js";

const root = resolve(import.meta.dirname, "../../..");

describe("fork-join example", () => {
  it("runs the independent checks in parallel and joins along the DAG", async () => {
    const result = await checkWorkspace(root);
    expect(result.success).toBe(true);
    expect(result.metadata.patternsUsed).toEqual(["fork-join"]);
    const outputs = result.result as Record<string, unknown>;
    const manifests = await readManifests(root);
    const expected = consistency(manifests, await readChangesets(root));
    expect(outputs.consistency).toEqual(expected);
    expect(outputs.report).toMatchObject({ packages: manifests.length, consistency: expected });
    expect(manifests.map((m) => m.name)).toContain("@echelon/example-fork-join-workspace");
  });

  it("the join flags public packages without a changeset and unknown workspace dependencies", () => {
    const found = consistency(
      [
        { folder: "packages/a", name: "a", private: false, workspaceDeps: ["b"] },
        { folder: "examples/c", name: "c", private: true, workspaceDeps: [] },
      ],
      [],
    );
    expect(found).toEqual({ withoutChangeset: ["a"], unknownDependencies: ["a → b"] });
  });
});
