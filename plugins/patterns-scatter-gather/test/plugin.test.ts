import type { Pattern, PatternChild, PluginContext } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { scatterGatherPattern, VERSION } from "../src/index.js";

const child = (
  id: string,
  description = id,
  input: unknown = null,
  dependsOn: string[] = [],
): PatternChild => ({
  id,
  description,
  input,
  dependsOn,
  capabilities: [],
  priority: 0,
  composite: false,
  hasCompensation: false,
  metadata: {},
});

describe("scatterGatherPattern plugin", () => {
  it("registers its pattern object and exposes it", () => {
    const plugin = scatterGatherPattern({ gather: "first" });
    const registered: Pattern[] = [];
    plugin.register({ registerPattern: (p: Pattern) => registered.push(p) } as unknown as PluginContext);
    expect(plugin.name).toBe("@echelon/patterns-scatter-gather");
    expect(plugin.version).toBe(VERSION);
    expect(registered).toEqual([plugin.pattern]);
    expect(plugin.pattern.name).toBe("scatter-gather");
    expect(plugin.pattern.ordering).toBe("parallel");
  });

  it("keeps registries per plugin instance", () => {
    const one = scatterGatherPattern();
    one.pattern.registerGatherStrategy("mine", () => ({ value: null }));
    expect(scatterGatherPattern().pattern.gatherStrategies()).not.toContain("mine");
  });

  it("recommends itself for one child or for identical children", () => {
    const { pattern } = scatterGatherPattern();
    const single = pattern.recommend!([child("a")], { agentCount: 3 });
    const same = pattern.recommend!(
      [child("a", "judge", { x: 1, y: 2 }), child("b", "judge", { y: 2, x: 1 })],
      { agentCount: 3 },
    );
    const different = pattern.recommend!([child("a", "judge", 1), child("b", "judge", 2)], { agentCount: 3 });
    const dependent = pattern.recommend!([child("a"), child("b", "b", null, ["a"])], { agentCount: 3 });
    expect(single).toBe(0.8);
    expect(same).toBe(0.75);
    expect(different).toBe(0);
    expect(dependent).toBe(0);
    expect(pattern.recommend!([child("a")], { agentCount: 1 })).toBe(0);
  });
});
