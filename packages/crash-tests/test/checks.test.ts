import { describe, expect, it } from "vitest";
import { sagaViolation, seededKills, withoutTimings } from "../src/index.js";

const steps = ["hold", "debit", "notify", "settle"];

describe("the saga invariant check", () => {
  it("accepts every step in order, or the completed steps then their compensations in reverse", () => {
    expect(sagaViolation(steps, steps)).toBeNull();
    expect(sagaViolation([], steps)).toBeNull();
    expect(sagaViolation(["hold", "debit", "debit:compensate", "hold:compensate"], steps)).toBeNull();
  });

  it("rejects a compensation out of order, twice, of a step that did not run, or a step after one", () => {
    expect(sagaViolation(["hold", "debit", "hold:compensate", "debit:compensate"], steps)).not.toBeNull();
    expect(sagaViolation(["hold", "hold:compensate", "hold:compensate"], steps)).not.toBeNull();
    expect(sagaViolation(["hold", "debit:compensate", "hold:compensate"], steps)).not.toBeNull();
    expect(sagaViolation(["hold", "hold:compensate", "debit"], steps)).not.toBeNull();
    expect(sagaViolation(["hold", "debit", "debit:compensate"], steps)).not.toBeNull();
  });
});

describe("seeded kill points", () => {
  it("are the same for the same seed, distinct, ascending and within 1..n", () => {
    const a = seededKills(12345, 4066, 50);
    expect(seededKills(12345, 4066, 50)).toEqual(a);
    expect(seededKills(54321, 4066, 50)).not.toEqual(a);
    expect(new Set(a).size).toBe(50);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(a.every((k) => k >= 1 && k <= 4066)).toBe(true);
    expect(seededKills(1, 5, 50)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("the output comparison", () => {
  it("leaves out wall times and per-process compensation attempts, nothing else", () => {
    expect(
      withoutTimings({ a: 1, durationMs: 3, steps: [{ compensationAttempts: 0, status: "x" }] }),
    ).toEqual({
      a: 1,
      steps: [{ status: "x" }],
    });
  });
});
