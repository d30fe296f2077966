import { createHash } from "node:crypto";
import { createOrchestrator, functionAgent, type TaskSpec } from "echelon";
import { describe, expect, it } from "vitest";

const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

const TEXT =
  "The cat sat on the mat. The dog sat on the log. A bird sang on the fence. The cat and the dog slept.";

function wordCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) counts[w] = (counts[w] ?? 0) + 1;
  return counts;
}

describe("run-time fan-out through every pattern (echelon, real plugins)", () => {
  it("MapReduce maps over the list a previous pipeline stage's agent answered with", async () => {
    const orchestrator = createOrchestrator({
      agents: [
        functionAgent({ name: "splitter", capabilities: ["split"] }, (work) => ({
          sentences: String(work.input)
            .split(/(?<=\.)\s+/)
            .map((text, i) => ({ n: i + 1, text })),
        })),
        functionAgent({ name: "counter", capabilities: ["count"], capacity: 4 }, (work) =>
          wordCounts(String(work.input)),
        ),
      ],
    });
    const spec: TaskSpec = {
      id: "words",
      description: "count the words of a text",
      pattern: "pipeline",
      input: TEXT,
      children: [
        { id: "split", description: "split the text into sentences", capabilities: ["split"] },
        {
          id: "count",
          description: "count the words of every sentence",
          pattern: "mapreduce",
          patternOptions: { reducer: "merge-counts" },
          expand: {
            items: "sentences",
            each: {
              id: "sentence-{{item.n}}",
              description: "count the words of sentence {{item.n}}: {{item.text}}",
              input: "{{item.text}}",
              capabilities: ["count"],
            },
          },
        },
      ],
    };
    const result = await orchestrator.orchestrateComplexTask(spec, { orchestrationId: "words" });
    expect(result.success).toBe(true);
    expect(result.result).toEqual(wordCounts(TEXT));
    const status = orchestrator.getOrchestrationStatus("words");
    expect(Object.keys(status.nodes).filter((p) => p.startsWith("words/count/"))).toEqual([
      "words/count/sentence-1",
      "words/count/sentence-2",
      "words/count/sentence-3",
      "words/count/sentence-4",
    ]);
    expect(status.nodes["words/count/sentence-3"]).toMatchObject({ state: "completed" });
    expect(status).toMatchObject({ totalTasks: 7, completedTasks: 7, expandedTasks: 4 });
    expect(result.metadata.patternsUsed).toEqual(["pipeline", "mapreduce"]);
    await orchestrator.shutdown();
  });

  it("Fork-Join runs expanded children in the order their templated dependsOn gives, passing outputs on", async () => {
    const started: Record<string, number> = {};
    const ended: Record<string, number> = {};
    const orchestrator = createOrchestrator({
      maxAgentsPerLevel: [1, 4, 4],
      agents: [
        functionAgent({ name: "builder", capabilities: ["build"], capacity: 4 }, (work) => {
          // A build artefact: the package's name digested with the artefacts it was built against.
          const { name, ...built } = work.input as { name: string } & Record<string, string>;
          const against = Object.keys(built)
            .sort()
            .map((k) => built[k]);
          return `${name}:${sha([name, ...against].join("|"))}`;
        }),
      ],
    });
    orchestrator.events.on("task:started", (e) => {
      started[e.nodePath] = e.ts;
    });
    orchestrator.events.on("task:completed", (e) => {
      ended[e.nodePath] = e.ts;
    });
    const graph = [
      { name: "core", after: [] },
      { name: "decomposer", after: ["core"] },
      { name: "patterns", after: ["core"] },
      { name: "echelon", after: ["core", "decomposer", "patterns"] },
    ];
    const result = await orchestrator.orchestrateComplexTask(
      {
        id: "build",
        description: "build the workspace in dependency order",
        pattern: "fork-join",
        patternOptions: { passOutputs: true },
        input: { graph },
        expand: {
          items: "graph",
          each: {
            id: "{{item.name}}",
            description: "build {{item.name}}",
            input: { name: "{{item.name}}" },
            // The whole placeholder becomes the item's list; TaskSpec types dependsOn as a list, hence the cast.
            dependsOn: "{{item.after}}",
            capabilities: ["build"],
          },
        },
      },
      { orchestrationId: "build" },
    );
    expect(result.success).toBe(true);
    const out = result.result as Record<string, string>;
    const core = `core:${sha("core")}`;
    const decomposer = `decomposer:${sha(["decomposer", core].join("|"))}`;
    const patterns = `patterns:${sha(["patterns", core].join("|"))}`;
    expect(out).toEqual({
      core,
      decomposer,
      patterns,
      echelon: `echelon:${sha(["echelon", core, decomposer, patterns].join("|"))}`,
    });
    for (const { name, after } of graph) {
      for (const dep of after)
        expect(started[`build/${name}`]!).toBeGreaterThanOrEqual(ended[`build/${dep}`]!);
    }
    await orchestrator.shutdown();
  });

  it("Scatter-Gather asks the respondents listed in the node's own input, and gathers their majority", async () => {
    const asked: string[] = [];
    const orchestrator = createOrchestrator({
      agents: [
        functionAgent({ name: "reviewer", capabilities: ["review"], capacity: 8 }, (work) => {
          const { reviewer, limit, text } = work.input as { reviewer: string; limit: number; text: string };
          asked.push(reviewer);
          // A real check: the longest sentence against the reviewer's own limit.
          const longest = Math.max(...text.split(/(?<=\.)\s+/).map((s) => s.split(/\s+/).length));
          return longest <= limit ? "approve" : "reject";
        }),
      ],
    });
    const reviewers = [
      { name: "strict", limit: 4 },
      { name: "lenient", limit: 20 },
      { name: "plain", limit: 6 },
      { name: "pedant", limit: 3 },
      { name: "editor", limit: 5 },
    ];
    const result = await orchestrator.orchestrateComplexTask(
      {
        id: "review",
        description: "review a text by majority",
        pattern: "scatter-gather",
        patternOptions: { gather: "majority" },
        input: { reviewers, text: TEXT },
        expand: {
          items: "reviewers",
          each: {
            id: "{{item.name}}",
            description: "review as {{item.name}} (at most {{item.limit}} words a sentence)",
            input: { reviewer: "{{item.name}}", limit: "{{item.limit}}", text: TEXT },
            capabilities: ["review"],
          },
        },
      },
      { orchestrationId: "review" },
    );
    expect(result.success).toBe(true);
    // Sentences of TEXT have 6, 6, 6 and 7 words: only "lenient" approves.
    expect((result.result as { value: unknown }).value).toBe("reject");
    expect(asked.sort()).toEqual(reviewers.map((r) => r.name).sort());
    expect(orchestrator.getOrchestrationStatus("review").expandedTasks).toBe(5);
    await orchestrator.shutdown();
  });
});
