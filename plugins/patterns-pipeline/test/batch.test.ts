import { failingAgent, recordingAgent, slowAgent } from "@echelon/testing";
import { describe, expect, it } from "vitest";
import { runPipeline, stageAgent, stages } from "./helpers.js";

const text = "alpha beta gamma beta";

describe("pipeline, batch mode", () => {
  it("stage i receives stage i−1's output; the first gets the composite input", async () => {
    const agent = stageAgent({
      split: (s) => String(s).split(" "),
      count: (ws) => {
        const counts: Record<string, number> = {};
        for (const w of ws as string[]) counts[w] = (counts[w] ?? 0) + 1;
        return counts;
      },
      top: (m) => Object.entries(m as Record<string, number>).sort((a, b) => b[1] - a[1])[0]![0],
    });
    const { result, events } = await runPipeline(stages(["split", "count", "top"]), [agent], { input: text });
    expect(result.result).toBe("beta");
    expect(result.details).toMatchObject({ mode: "batch", stages: 3 });
    const done = events.filter((e) => e.type === "pipeline:stageCompleted");
    expect(done.map((e) => (e as { stage: string }).stage)).toEqual(["split", "count", "top"]);
  });

  it("without a composite input the first stage gets its own input", async () => {
    const agent = recordingAgent((w) => `${String(w.input)}>${w.taskId}`);
    const { result } = await runPipeline(
      [
        { sliceId: "a", content: "seed" },
        { sliceId: "b", content: "ignored" },
      ],
      [agent],
    );
    expect(result.result).toBe("seed>a>b");
    expect(agent.calls.map((c) => c.input)).toEqual(["seed", "seed>a"]);
  });

  it("a stage naming a processor runs it in-process between agent stages", async () => {
    const agent = recordingAgent((w) => (w.taskId === "fetch" ? '{"n": 20}' : Number(w.input) + 1));
    const { result, events } = await runPipeline(
      stages(["fetch", "parse", "inc"], { parse: { processor: "json-n" } }),
      [agent],
      { plugin: { processors: { "json-n": (s) => (JSON.parse(String(s)) as { n: number }).n } } },
    );
    expect(result.result).toBe(21);
    expect(agent.calls.map((c) => c.taskId)).toEqual(["fetch", "inc"]);
    expect(result.details).toMatchObject({ processors: { parse: "json-n" } });
    expect(events.find((e) => e.type === "pipeline:stageCompleted" && e.stage === "parse")).toMatchObject({
      processor: "json-n",
    });
  });

  it("patternOptions.processors picks processors by stage id", async () => {
    const { result } = await runPipeline(stages(["a", "b"]), [recordingAgent(() => 4)], {
      options: { processors: { b: "square" } },
      plugin: { processors: { square: (x) => Number(x) ** 2 } },
    });
    expect(result.result).toBe(16);
  });

  it("no stages returns the input unchanged", async () => {
    const { result } = await runPipeline([], [recordingAgent()], { input: { x: 1 } });
    expect(result.result).toEqual({ x: 1 });
  });
});

describe("pipeline failure modes", () => {
  it("a failing stage fails the run with its code; later stages never run", async () => {
    const agent = failingAgent({ failWhen: (w) => w.taskId === "b" });
    const { result } = await runPipeline(stages(["a", "b", "c"]), [agent], { input: 1 });
    expect(result.error?.code).toBe("ECHELON_TESTING_INJECTED_FAILURE");
    expect(agent.calls.map((c) => c.taskId)).toEqual(["a", "b"]);
    expect(result.outcomes.map((o) => o.status)).toEqual(["completed", "failed", "skipped"]);
  });

  it("an unknown processor is a coded error before any work", async () => {
    const agent = recordingAgent();
    await expect(
      runPipeline(stages(["a", "b"], { b: { processor: "nope" } }), [agent], { input: 1 }),
    ).rejects.toMatchObject({ code: "ECHELON_PIPELINE_PROCESSOR_UNKNOWN", details: { stage: "b" } });
    expect(agent.calls).toHaveLength(0);
  });

  it("a throwing processor is ECHELON_PIPELINE_STAGE_FAILED with the cause", async () => {
    const { result } = await runPipeline(
      stages(["a", "b"], { b: { processor: "bad" } }),
      [recordingAgent()],
      {
        input: 1,
        plugin: {
          processors: {
            bad: () => {
              throw new TypeError("no parse");
            },
          },
        },
      },
    );
    expect(result.error).toMatchObject({
      code: "ECHELON_PIPELINE_STAGE_FAILED",
      cause: { message: "no parse" },
    });
  });

  it("non-serialisable output from an agent or a processor is ECHELON_RESULT_NOT_SERIALIZABLE", async () => {
    const fromAgent = await runPipeline(stages(["a"]), [recordingAgent(() => new Set([1]))], { input: 1 });
    expect(fromAgent.result.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
    const fromProcessor = await runPipeline(stages(["a"], { a: { processor: "p" } }), [recordingAgent()], {
      input: 1,
      plugin: { processors: { p: () => () => 1 } },
    });
    expect(fromProcessor.result.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
  });

  it("bad options are ECHELON_PIPELINE_OPTIONS_INVALID", async () => {
    for (const options of [{ bufferSize: 0 }, { streaming: "yes" }, { processors: { a: 1 } }]) {
      await expect(
        runPipeline(stages(["a"]), [recordingAgent()], { input: [1], options }),
      ).rejects.toMatchObject({
        code: "ECHELON_PIPELINE_OPTIONS_INVALID",
      });
    }
  });

  it("abort mid-stage cancels the running agent and runs no later stage", async () => {
    const controller = new AbortController();
    const agent = slowAgent(60_000, { onStart: () => queueMicrotask(() => controller.abort()) });
    const { result } = await runPipeline(stages(["a", "b"]), [agent], {
      input: 1,
      signal: controller.signal,
    });
    expect(result.status).toBe("cancelled");
    expect(agent.calls).toHaveLength(1);
    expect(agent.calls[0]?.sawAbort).toBe(true);
  });

  it("registerStageProcessor refuses a taken name unless overridden", async () => {
    const { pipelinePattern } = await import("../src/index.js");
    const { pattern } = pipelinePattern({ processors: { p: (x) => x } });
    expect(() => pattern.registerStageProcessor("p", (x) => x)).toThrow(
      expect.objectContaining({ code: "ECHELON_PIPELINE_PROCESSOR_INVALID" }),
    );
    pattern.registerStageProcessor("p", (x) => x, { override: true });
    expect(pattern.stageProcessorNames()).toEqual(["p"]);
  });
});
