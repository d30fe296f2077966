import type { Pattern, PatternChild, PluginContext } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { forkJoinPattern, VERSION } from "../src/index.js";

const child = (id: string, dependsOn: string[] = []): PatternChild => ({
  id,
  description: id,
  input: null,
  dependsOn,
  capabilities: [],
  priority: 0,
  composite: false,
  hasCompensation: false,
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

  it("scores like the executor's table: dependencies 0.85, mixed independent children 0.6, else 0.3", () => {
    const { pattern } = forkJoinPattern();
    const withInput = (id: string, input: unknown): PatternChild => ({ ...child(id), input });
    expect(pattern.recommend!([child("a"), child("b", ["a"])], { agentCount: 3 })).toBe(0.85);
    expect(pattern.recommend!([withInput("a", 1), withInput("b", "text")], { agentCount: 3 })).toBe(0.6);
    expect(pattern.recommend!([withInput("a", 1), withInput("b", 2)], { agentCount: 3 })).toBe(0.3);
    expect(pattern.recommend!([child("a")], { agentCount: 3 })).toBe(0.3);
  });
});
