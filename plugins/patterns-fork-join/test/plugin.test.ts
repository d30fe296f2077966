import { type Pattern, type PatternChild, type PluginContext } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { forkJoinPattern, VERSION } from "../src/index.js";

const child = (id: string, dependsOn: string[] = [], hasCompensation = false): PatternChild => ({
  id,
  description: id,
  input: null,
  dependsOn,
  capabilities: [],
  priority: 0,
  composite: false,
  hasCompensation,
  metadata: {},
});

describe("forkJoinPattern plugin", () => {
  it("registers its pattern object and exposes it", () => {
    const plugin = forkJoinPattern({ maxParallel: 2 });
    const registered: Pattern[] = [];
    plugin.register({ registerPattern: (p: Pattern) => registered.push(p) } as unknown as PluginContext);
    expect(plugin.name).toBe("@echelon/patterns-fork-join");
    expect(plugin.version).toBe(VERSION);
    expect(registered).toEqual([plugin.pattern]);
    expect(plugin.pattern.name).toBe("fork-join");
    expect(plugin.pattern.ordering).toBe("dag");
  });

  it("keeps registries per plugin instance", () => {
    const one = forkJoinPattern();
    const two = forkJoinPattern();
    one.pattern.registerJoinStrategy("mine", () => ({ result: null }));
    expect(two.pattern.joinStrategies()).not.toContain("mine");
  });

  it("recommends itself most for children with dependencies among them", () => {
    const { pattern } = forkJoinPattern();
    const dag = pattern.recommend!([child("a"), child("b", ["a"])]);
    const flat = pattern.recommend!([child("a"), child("b")]);
    const single = pattern.recommend!([child("a")]);
    const compensating = pattern.recommend!([child("a", [], true), child("b", ["a"], true)]);
    expect(dag).toBeGreaterThan(flat);
    expect(flat).toBeGreaterThan(single);
    expect(dag).toBeGreaterThan(compensating);
  });
});
