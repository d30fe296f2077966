import { type AgentWork, type EchelonEvent, EventBus, type TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { createScatterGatherPattern, ScatterGatherErrorCode } from "../src/index.js";
import { Recorder, type WorkPlan } from "@echelon/testing";

const slice = (sliceId: string, content: unknown = sliceId, dependencies: string[] = []): TaskSlice => ({
  sliceId,
  content,
  dependencies,
});
const question = [slice("q", { ask: "2+2" })];
const never = new Promise<never>(() => {});

/** Plans by node path below the root (`q#replica-2`) or task id. */
function by(
  plans: Record<string, WorkPlan>,
  fallback: WorkPlan = { rounds: 1 },
): (work: AgentWork) => WorkPlan {
  return (work) =>
    plans[work.nodePath.slice(work.nodePath.indexOf("/") + 1)] ?? plans[work.taskId] ?? fallback;
}

interface Gathered {
  value: unknown;
  answers: Array<{ respondent: string; output: unknown }>;
  responded: string[];
}

describe("scatter-gather: broadcast and respondents", () => {
  it("broadcasts one child to min(concurrency, 5) replicas and gathers all answers", async () => {
    const rec = new Recorder();
    const agent = rec.agent((w) => ({ output: `${w.nodePath}:${JSON.stringify(w.input)}` }), { capacity: 8 });
    const run = await runPatternOnSlices(createScatterGatherPattern(), question, [agent]);
    expect(run.status).toBe("completed");
    const result = run.result as Gathered;
    const replicas = [1, 2, 3, 4, 5].map((i) => `q#replica-${i}`);
    expect(result.value).toEqual(replicas.map((r) => `slices/${r}:{"ask":"2+2"}`));
    expect([...result.responded].sort()).toEqual(replicas);
    expect(run.details).toMatchObject({
      gather: "all",
      replicas: 5,
      respondents: replicas,
      aborted: [],
      deadlineHit: false,
    });
  });

  it("honours the replicas option and the available slots by default", async () => {
    const rec = new Recorder();
    const small = await runPatternOnSlices(createScatterGatherPattern(), question, [
      rec.agent(() => ({}), { capacity: 2 }),
    ]);
    expect(small.details.replicas).toBe(2);
    const three = await runPatternOnSlices(createScatterGatherPattern({ replicas: 3 }), question, [
      rec.agent(() => ({})),
    ]);
    expect((three.result as Gathered).responded).toHaveLength(3);
  });

  it("treats several children as one respondent each", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(
      createScatterGatherPattern(),
      [slice("x"), slice("y")],
      [rec.agent((w) => ({ output: w.input }))],
    );
    expect((run.result as Gathered).value).toEqual(["x", "y"]);
    expect(run.details.respondents).toEqual(["x", "y"]);
    expect(run.details.replicas).toBeUndefined();
  });
});

describe("scatter-gather: gather strategies", () => {
  it("first: the first answer wins and the others are aborted", async () => {
    const rec = new Recorder();
    const agent = rec.agent(by({ "q#replica-2": { output: "quick" } }, { rounds: 1000 }));
    const run = await runPatternOnSlices(
      createScatterGatherPattern({ gather: "first", replicas: 3 }),
      question,
      [agent],
    );
    rec.stop();
    expect(run.status).toBe("completed");
    expect((run.result as Gathered).value).toBe("quick");
    expect(run.details).toMatchObject({ winner: "q#replica-2", responded: ["q#replica-2"] });
    expect([...(run.details.aborted as string[])].sort()).toEqual(["q#replica-1", "q#replica-3"]);
    expect(rec.endOf("q#replica-1")?.outcome).toBe("aborted");
    await rec.drain();
    expect(rec.workAfterStop).toBe(0);
  });

  it("quorum: stops at k answers; fails as soon as k is out of reach", async () => {
    const rec = new Recorder();
    const fastTwo = rec.agent(by({ a: { output: 1 }, b: { output: 2 } }, { rounds: 1000 }));
    const respondents = ["a", "b", "c", "d"].map((id) => slice(id));
    const ok = await runPatternOnSlices(createScatterGatherPattern(), respondents, [fastTwo], {
      options: { gather: "quorum", quorum: 2 },
    });
    expect(ok.status).toBe("completed");
    expect([...((ok.result as Gathered).value as number[])].sort()).toEqual([1, 2]);
    expect([...(ok.details.aborted as string[])].sort()).toEqual(["c", "d"]);

    const mostlyFailing = rec.agent(by({ d: { rounds: 1000 } }, { fail: "down" }));
    const lost = await runPatternOnSlices(createScatterGatherPattern(), respondents, [mostlyFailing], {
      options: { gather: "quorum", quorum: 2 },
    });
    expect(lost.error?.code).toBe(ScatterGatherErrorCode.QUORUM_NOT_REACHED);
    expect(lost.error?.cause?.message).toContain("down");
    expect(rec.endOf("d")?.outcome).toBe("aborted");

    const tooBig = await runPatternOnSlices(createScatterGatherPattern(), respondents, [fastTwo], {
      options: { gather: "quorum", quorum: 9 },
    });
    expect(tooBig.error?.code).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
  });

  it("majority: JSON equality by default, a registered vote key when named", async () => {
    const rec = new Recorder();
    const answers: Record<string, WorkPlan> = {
      "q#replica-1": { output: { n: 4, unit: "x" } },
      "q#replica-2": { output: { unit: "x", n: 4 } },
      "q#replica-3": { output: { n: 5, unit: "x" } },
      "q#replica-4": { output: { n: 4, unit: "y" } },
      "q#replica-5": { output: { n: 5, unit: "y" } },
    };
    const pattern = createScatterGatherPattern({ gather: "majority", replicas: 5 });
    const strict = await runPatternOnSlices(pattern, question, [rec.agent(by(answers))]);
    expect(strict.error?.code).toBe(ScatterGatherErrorCode.NO_MAJORITY);
    expect(strict.error?.details).toMatchObject({ needed: 3 });

    pattern.registerVoteKey("n", (output) => (output as { n: number }).n);
    const byN = await runPatternOnSlices(pattern, question, [rec.agent(by(answers))], {
      options: { voteKey: "n" },
    });
    expect(byN.status).toBe("completed");
    expect(((byN.result as Gathered).value as { n: number }).n).toBe(4);
    expect(byN.details).toMatchObject({ winningKey: "4", needed: 3 });

    await expect(
      runPatternOnSlices(pattern, question, [rec.agent(by(answers))], { options: { voteKey: "nope" } }),
    ).rejects.toMatchObject({ code: ScatterGatherErrorCode.UNKNOWN_VOTE_KEY });
  });

  it("all: a failing respondent makes the result partial; all failing is a coded error", async () => {
    const rec = new Recorder();
    const partial = await runPatternOnSlices(
      createScatterGatherPattern(),
      [slice("a"), slice("b")],
      [rec.agent(by({ b: { fail: "b is down" } }))],
    );
    expect(partial.status).toBe("partial");
    expect(partial.details).toMatchObject({ responded: ["a"], failed: ["b"] });

    const none = await runPatternOnSlices(
      createScatterGatherPattern(),
      [slice("a"), slice("b")],
      [rec.agent(() => ({ fail: "down" }))],
    );
    expect(none.error?.code).toBe(ScatterGatherErrorCode.NO_RESPONSE);
    expect([...((none.error?.details?.failed ?? []) as string[])].sort()).toEqual(["a", "b"]);
  });

  it("uses a registered gather strategy and reports one that never decides", async () => {
    const pattern = createScatterGatherPattern({ replicas: 3 });
    pattern.registerGatherStrategy("count", (state) =>
      state.final ? { value: state.answers.length } : undefined,
    );
    pattern.registerGatherStrategy("undecided", () => undefined);
    expect(pattern.gatherStrategies()).toEqual(["all", "first", "quorum", "majority", "count", "undecided"]);
    const rec = new Recorder();
    const counted = await runPatternOnSlices(pattern, question, [rec.agent(() => ({}))], {
      options: { gather: "count" },
    });
    expect((counted.result as Gathered).value).toBe(3);
    const undecided = await runPatternOnSlices(pattern, question, [rec.agent(() => ({}))], {
      options: { gather: "undecided" },
    });
    expect(undecided.error?.code).toBe(ScatterGatherErrorCode.UNDECIDED);
  });
});

describe("scatter-gather: faulty custom code", () => {
  it("reports a throwing gather strategy or vote key with a coded error and aborts the rest", async () => {
    const pattern = createScatterGatherPattern({ replicas: 3 });
    pattern.registerGatherStrategy("broken", () => {
      throw new RangeError("bad strategy");
    });
    pattern.registerVoteKey("broken-key", () => {
      throw new RangeError("bad key");
    });
    const rec = new Recorder();
    const agent = rec.agent(by({ "q#replica-1": { rounds: 1 } }, { rounds: 1000 }));
    const broken = await runPatternOnSlices(pattern, question, [agent], { options: { gather: "broken" } });
    expect(broken.error?.code).toBe(ScatterGatherErrorCode.STRATEGY_FAILED);
    expect(broken.error?.cause?.message).toBe("bad strategy");
    pattern.registerGatherStrategy("shapeless", () => 42 as unknown as { value: unknown });
    const shapeless = await runPatternOnSlices(pattern, question, [agent], {
      options: { gather: "shapeless" },
    });
    expect(shapeless.error?.code).toBe(ScatterGatherErrorCode.STRATEGY_FAILED);
    expect(rec.running.size).toBe(0);
    const key = await runPatternOnSlices(pattern, question, [agent], {
      options: { gather: "majority", voteKey: "broken-key" },
    });
    expect(key.error?.code).toBe(ScatterGatherErrorCode.STRATEGY_FAILED);
    expect(key.error?.cause?.message).toBe("bad key");
  });
});

describe("scatter-gather: events", () => {
  it("journals the stragglers it aborted and the gather", async () => {
    const bus = new EventBus();
    const seen: EchelonEvent[] = [];
    bus.onAny((e) => {
      if (e.type.startsWith("scatter-gather:")) seen.push(e);
    });
    const rec = new Recorder();
    const agent = rec.agent(by({ "q#replica-1": { output: "fast" } }, { rounds: 1000 }));
    await runPatternOnSlices(
      createScatterGatherPattern({ gather: "first", replicas: 3 }),
      question,
      [agent],
      {
        events: bus,
      },
    );
    expect(seen.map((e) => e.type)).toEqual(["scatter-gather:respondentsAborted", "scatter-gather:gathered"]);
    expect(seen[0]).toMatchObject({ respondents: ["q#replica-2", "q#replica-3"], reason: "decided" });
    expect(seen[1]).toMatchObject({
      gather: "first",
      status: "completed",
      responded: ["q#replica-1"],
      deadlineHit: false,
    });
  });
});

describe("scatter-gather: deadline and cancellation", () => {
  it("returns what arrived as partial at the deadline and aborts the stragglers", async () => {
    const rec = new Recorder();
    const agent = rec.agent(by({ slow: { gate: never } }, { output: "on time" }));
    const run = await runPatternOnSlices(
      createScatterGatherPattern(),
      [slice("a"), slice("b"), slice("slow")],
      [agent],
      {
        options: { deadlineMs: 300 },
      },
    );
    rec.stop();
    expect(run.status).toBe("partial");
    expect((run.result as Gathered).value).toEqual(["on time", "on time"]);
    expect(run.details).toMatchObject({ deadlineHit: true, deadlineMs: 300, aborted: ["slow"] });
    expect(rec.endOf("slow")?.outcome).toBe("aborted");
    expect(rec.running.size).toBe(0);
  });

  it("fails with NO_RESPONSE when nothing arrived before the deadline", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(
      createScatterGatherPattern({ gather: "first" }),
      question,
      [rec.agent(() => ({ gate: never }))],
      { options: { deadlineMs: 20, replicas: 2 } },
    );
    expect(run.error?.code).toBe(ScatterGatherErrorCode.NO_RESPONSE);
    expect(run.error?.details).toMatchObject({ deadlineHit: true, answers: [] });
    expect(rec.running.size).toBe(0);
  });

  it("cancellation aborts every respondent and reports the run cancelled", async () => {
    const rec = new Recorder();
    const controller = new AbortController();
    rec.onChunk = (n) => {
      if (n === 4) controller.abort();
    };
    const run = await runPatternOnSlices(
      createScatterGatherPattern(),
      question,
      [rec.agent(() => ({ rounds: 100 }))],
      {
        signal: controller.signal,
      },
    );
    rec.stop();
    expect(run.status).toBe("cancelled");
    expect(run.error?.code).toBe("ECHELON_CANCELLED");
    expect(rec.running.size).toBe(0);
    await rec.drain();
    expect(rec.workAfterStop).toBe(0);
  });
});

describe("scatter-gather: bad input", () => {
  const agent = new Recorder().agent(() => ({}));
  // Refused before any work, by the pattern's checkOptions.
  const codeOf = async (slices: TaskSlice[], options: Record<string, unknown> = {}) => {
    try {
      return (await runPatternOnSlices(createScatterGatherPattern(), slices, [agent], { options })).error
        ?.code;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it("rejects empty scatters, dependencies, unknown strategies and bad options", async () => {
    expect(await codeOf(question, { replicas: 1e8 })).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
    expect(await codeOf(question, { deadlineMs: 1e12 })).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
    expect(await codeOf(question, { deadlineMs: Number.NaN })).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
    expect(await codeOf([])).toBe(ScatterGatherErrorCode.NO_RESPONDENTS);
    expect(await codeOf([slice("a"), slice("b", "b", ["a"])])).toBe(
      ScatterGatherErrorCode.DEPENDENCIES_UNSUPPORTED,
    );
    expect(await codeOf(question, { gather: "loudest" })).toBe(ScatterGatherErrorCode.UNKNOWN_STRATEGY);
    expect(await codeOf(question, { replicas: 0 })).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
    expect(await codeOf(question, { deadlineMs: -5 })).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
    expect(await codeOf(question, { quorum: 1.5 })).toBe(ScatterGatherErrorCode.INVALID_OPTIONS);
    expect(() => createScatterGatherPattern({ gather: "" })).toThrow(
      expect.objectContaining({ code: ScatterGatherErrorCode.INVALID_OPTIONS }),
    );
  });

  it("refuses to silently replace a registration", () => {
    const pattern = createScatterGatherPattern();
    expect(() => pattern.registerGatherStrategy("first", () => undefined)).toThrow(
      expect.objectContaining({ code: ScatterGatherErrorCode.DUPLICATE_REGISTRATION }),
    );
    pattern.registerVoteKey("k", String);
    expect(() => pattern.registerVoteKey("k", String)).toThrow(
      expect.objectContaining({ code: ScatterGatherErrorCode.DUPLICATE_REGISTRATION }),
    );
    pattern.registerVoteKey("k", String, { override: true });
  });
});
