import type { PlanNode } from "@echelon/core";
import { walkPlan } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { TaskDecomposer } from "../src/index.js";

const patterns = ["mapreduce", "pipeline", "fork-join", "scatter-gather", "saga"];
const text = "Write unit tests for the parser, document the public API, and benchmark the tokenizer";

function capabilitiesOf(root: PlanNode): string[] {
  const all: string[] = [];
  walkPlan(root, (n) => all.push(...n.capabilities));
  return [...new Set(all)].sort();
}

describe("capabilities offered by the agents", () => {
  it("infers capabilities freely when the orchestrator does not say what its agents offer", () => {
    const plan = new TaskDecomposer().decompose(text, { maxDepth: 2, patterns });
    expect(capabilitiesOf(plan.root)).toContain("testing");
  });

  it("keeps only offered capabilities, and caches per offered set", () => {
    const d = new TaskDecomposer();
    const none = d.decompose(text, { maxDepth: 2, patterns, capabilities: [] });
    expect(capabilitiesOf(none.root)).toEqual([]);
    const some = d.decompose(text, { maxDepth: 2, patterns, capabilities: ["testing"] });
    expect(capabilitiesOf(some.root)).toEqual(["testing"]);
    expect(some.root.children.map((c) => c.description)).toEqual(
      none.root.children.map((c) => c.description),
    );
  });

  it("keeps the inferred capabilities no agent offers visible in metadata.unofferedCapabilities", () => {
    const plan = new TaskDecomposer().decompose(text, { maxDepth: 2, patterns, capabilities: ["testing"] });
    const [tests, docs] = plan.root.children;
    expect(tests!.capabilities).toEqual(["testing"]);
    expect(tests!.metadata.unofferedCapabilities).toBeUndefined();
    expect(docs!.capabilities).toEqual([]);
    expect(docs!.metadata.unofferedCapabilities).toEqual(["writing", "coding"]);
    const free = new TaskDecomposer().decompose(text, { maxDepth: 2, patterns });
    expect(free.root.children[1]!.capabilities).toEqual(["writing", "coding"]);
    expect(free.root.children[1]!.metadata.unofferedCapabilities).toBeUndefined();
  });
});
