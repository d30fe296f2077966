import { beforeAll, describe, expect, it } from "vitest";
import {
  failureReport,
  mapLimit,
  NAMED_KILLS,
  runSweep,
  type SweepReport,
  summaryLine,
} from "../src/index.js";

describe("named kill points", () => {
  const reports = new Map<string, SweepReport>();

  beforeAll(async () => {
    // One child at a time per point, two points at once (two cores).
    await mapLimit(NAMED_KILLS, 2, async (named) => {
      const report = await runSweep({
        name: named.name,
        spec: named.spec,
        kills: () => [named.kill],
        concurrency: 1,
      });
      reports.set(named.name, report);
      console.log(summaryLine(report));
    });
  }, 170_000);

  for (const named of NAMED_KILLS) {
    it(`recovers when killed ${named.name}`, () => {
      const report = reports.get(named.name)!;
      expect(failureReport(report)).toBe("");
      expect(report.recovered).toBe(1);
    });
  }

  it("names the moment of each kill from the journal it left", () => {
    const moments = (name: string) => reports.get(name)!.outcomes[0]!.moments;
    expect(moments("during fan-out (3 of 8 map leaves done)")).toContain("map fan-out");
    expect(moments("during saga forward steps (bill: debit done)")).toContain("saga forward step");
    expect(moments("during compensation (bill: notify undone, debit and hold not yet)")).toContain(
      "compensation",
    );
    expect(moments("right after a cancel was journaled")).toContain("after a cancel");
  });

  it("a cancelled run stays cancelled after the resume", () => {
    for (const named of NAMED_KILLS.filter((n) => n.spec.plan !== "mixed" && n.spec.plan !== "map-reduce")) {
      const outcome = reports.get(named.name)!.outcomes[0]!;
      expect({ name: named.name, problems: outcome.problems }).toEqual({ name: named.name, problems: [] });
    }
  });
});
