import { isEchelonError } from "@echelon/core";
import { specToPlan } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import {
  assertCapabilitiesCovered,
  capabilityStrategy,
  findMissingCapabilities,
  WorkloadDistributor,
} from "../src/index.js";
import { load, request } from "./helpers.js";

describe("capabilityStrategy", () => {
  it("prefers the specialist over the generalist", () => {
    const strategy = capabilityStrategy();
    const candidates = [
      load("generalist", { capabilities: ["coding", "testing", "deployment"] }),
      load("specialist", { capabilities: ["testing"] }),
    ];
    expect(strategy.select(request({ capabilities: ["testing"] }), candidates)).toBe(1);
  });

  it("lets a proficiency table outrank surplus capabilities", () => {
    const strategy = capabilityStrategy({ proficiency: { senior: { coding: 1 }, junior: { coding: 0.4 } } });
    const candidates = [
      load("j", { agentType: "junior", capabilities: ["coding"] }),
      load("s", { agentType: "senior", capabilities: ["coding", "review"] }),
    ];
    expect(strategy.select(request({ capabilities: ["coding"] }), candidates)).toBe(1);
  });

  it("breaks equal fits by load", () => {
    const strategy = capabilityStrategy();
    const candidates = [
      load("a", { capabilities: ["ml"], inFlight: 1, capacity: 2 }),
      load("b", { capabilities: ["ml"], inFlight: 0, capacity: 2 }),
    ];
    expect(strategy.select(request({ capabilities: ["ml"] }), candidates)).toBe(1);
  });

  it("only assigns to agents offering every required capability", () => {
    const distributor = new WorkloadDistributor({ strategy: "capability" });
    distributor.registerAgent({ agentId: "coder", capabilities: ["coding"], capacity: 10 });
    distributor.registerAgent({ agentId: "tester", capabilities: ["testing"], capacity: 10 });
    distributor.registerAgent({ agentId: "both", capabilities: ["coding", "testing"], capacity: 10 });
    expect(distributor.assign({ capabilities: ["coding", "testing"] })).toBe("both");
    expect(distributor.assign({ capabilities: ["testing"] })).toBe("tester");
    expect(distributor.assign({ capabilities: ["coding"] })).toBe("coder");
  });

  it("fails with ECHELON_AGENT_NO_CAPABILITY naming the capability when no agent offers it", () => {
    const distributor = new WorkloadDistributor({ strategy: "capability" });
    distributor.registerAgent({ agentId: "coder", capabilities: ["coding"] });
    let caught: unknown;
    try {
      distributor.assign({ taskId: "deploy", capabilities: ["deployment"] });
    } catch (error) {
      caught = error;
    }
    expect(isEchelonError(caught, "ECHELON_AGENT_NO_CAPABILITY")).toBe(true);
    expect((caught as Error).message).toContain("deployment");
    expect((caught as { details: Record<string, unknown> }).details.capabilities).toEqual(["deployment"]);
  });
});

describe("findMissingCapabilities", () => {
  const release = specToPlan(
    {
      id: "release",
      description: "release",
      children: [
        { id: "build", description: "build", capabilities: ["coding"] },
        { id: "test", description: "test", capabilities: ["testing"] },
        {
          id: "ship",
          description: "ship",
          children: [
            {
              id: "deploy",
              description: "deploy",
              capabilities: ["deployment"],
              compensate: { description: "undo", capabilities: ["deployment"] },
            },
            { id: "verify", description: "verify", capabilities: ["testing", "monitoring"] },
          ],
        },
      ],
    },
    { maxDepth: 2 },
  );

  it("is empty when every leaf and compensation is covered", () => {
    const types = [{ capabilities: ["coding", "testing", "monitoring"] }, { capabilities: ["deployment"] }];
    expect(findMissingCapabilities(release, types)).toEqual([]);
  });

  it("names each missing capability with the nodes that need it", () => {
    const types = [{ capabilities: ["coding", "testing"] }];
    expect(findMissingCapabilities(release, types)).toEqual([
      {
        capability: "deployment",
        capabilities: ["deployment"],
        nodes: ["release/ship/deploy", "release/ship/deploy:compensate"],
      },
      { capability: "monitoring", capabilities: ["monitoring"], nodes: ["release/ship/verify"] },
    ]);
  });

  it("reports a combination no single provider covers", () => {
    const types = [{ capabilities: ["coding", "testing", "deployment"] }, { capabilities: ["monitoring"] }];
    expect(findMissingCapabilities(release, types)).toEqual([
      {
        capability: "monitoring + testing",
        capabilities: ["monitoring", "testing"],
        nodes: ["release/ship/verify"],
      },
    ]);
  });

  it("respects the levels an agent type may serve", () => {
    const types = [
      { capabilities: ["coding", "testing", "monitoring"] },
      { capabilities: ["deployment"], levels: ["secondary"] },
    ];
    const missing = findMissingCapabilities(release, types);
    expect(missing.map((m) => [m.capability, m.nodes])).toEqual([
      ["deployment", ["release/ship/deploy", "release/ship/deploy:compensate"]],
    ]);
    expect(
      findMissingCapabilities(release, [types[0]!, { capabilities: ["deployment"], levels: [2] }]),
    ).toEqual([]);
  });

  it("assertCapabilitiesCovered throws ECHELON_AGENT_NO_CAPABILITY with the list in details", () => {
    let caught: unknown;
    try {
      assertCapabilitiesCovered(release, [{ capabilities: ["coding", "testing", "monitoring"] }]);
    } catch (error) {
      caught = error;
    }
    expect(isEchelonError(caught, "ECHELON_AGENT_NO_CAPABILITY")).toBe(true);
    expect((caught as Error).message).toContain('"deployment" (needed by release/ship/deploy');
    const details = (caught as { details: { missing: { capability: string }[] } }).details;
    expect(details.missing.map((m) => m.capability)).toEqual(["deployment"]);
    expect(JSON.parse(JSON.stringify(details))).toEqual(details);
  });
});
