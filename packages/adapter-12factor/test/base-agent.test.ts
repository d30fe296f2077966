import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isEchelonError } from "@echelon/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  AdapterErrorCode,
  type AgentTask,
  BaseAgent,
  defineTool,
  type TaskRunContext,
  type ToolResponse,
  validateJsonSchema,
} from "../src/index.js";
import { sha256, TextAgent, textStats } from "./support/text-agent.js";

const dir = mkdtempSync(join(tmpdir(), "echelon-12f-"));
const poem =
  "The rain in Spain stays mainly in the plain. In Hartford, Hereford and Hampshire, hurricanes hardly ever happen!";
writeFileSync(join(dir, "poem.txt"), poem);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("BaseAgent tools", () => {
  it("lists every tool with its JSON Schema", () => {
    const tools = new TextAgent().listTools();
    expect(tools.map((t) => t.name)).toEqual(["word_stats", "read_file", "hash_file"]);
    expect(tools[0]!.parameters.required).toEqual(["text"]);
  });

  it("calls a tool with valid arguments and returns its data", async () => {
    const response = await new TextAgent().callTool("word_stats", { text: "a b a. c!", top: 1 });
    expect(response).toEqual({
      success: true,
      data: { characters: 9, words: 4, sentences: 2, topWords: [{ word: "a", count: 2 }] },
    });
  });

  it("refuses invalid arguments with every issue and its path, without calling the handler", async () => {
    const response = await new TextAgent().callTool("word_stats", { text: 42, top: 0, extra: true });
    expect(response.success).toBe(false);
    expect(response.error?.code).toBe(AdapterErrorCode.TOOL_ARGUMENTS_INVALID);
    const paths = ((response.error?.details?.issues ?? []) as { path: string }[]).map((i) => i.path);
    expect([...paths].sort()).toEqual(["args.extra", "args.text", "args.top"]);
  });

  it("answers an unknown tool with ECHELON_TOOL_UNKNOWN listing the known ones", async () => {
    const response = await new TextAgent().callTool("delete_everything", {});
    expect(response.error?.code).toBe(AdapterErrorCode.TOOL_UNKNOWN);
    expect(response.error?.details?.tools).toEqual(["word_stats", "read_file", "hash_file"]);
  });

  it("compacts a handler's I/O error into a failed response instead of throwing", async () => {
    const response = await new TextAgent().callTool("read_file", { path: join(dir, "missing.txt") });
    expect(response.success).toBe(false);
    expect(response.data).toBeNull();
    expect(response.error?.code).toBe(AdapterErrorCode.TOOL_FAILED);
    expect(response.error?.message).toContain("ENOENT");
  });

  it("refuses a tool result that is not JSON", async () => {
    class Bad extends BaseAgent {
      constructor() {
        super({ name: "bad" }, {});
      }
      protected registerTools() {
        this.registerTool(
          defineTool({
            name: "big",
            description: "returns a bigint",
            parameters: { type: "object" },
            handler: () => ({ n: 1n }),
          }),
        );
      }
      async executeTask(): Promise<ToolResponse> {
        return this.callTool("big", {});
      }
    }
    const response = await new Bad().callTool("big", {});
    expect(response.error?.code).toBe(AdapterErrorCode.TOOL_RESULT_NOT_SERIALIZABLE);
  });

  it("refuses a second tool with the same name", () => {
    class Twice extends BaseAgent {
      constructor() {
        super({ name: "twice" }, {});
      }
      protected registerTools() {
        const t = defineTool({
          name: "x",
          description: "x",
          parameters: { type: "object" },
          handler: () => 1,
        });
        this.registerTool(t);
        this.registerTool(t);
      }
      async executeTask(): Promise<ToolResponse> {
        return { success: true, data: null };
      }
    }
    expect(() => new Twice().listTools()).toThrow(
      expect.objectContaining({ code: AdapterErrorCode.TOOL_DEFINITION_INVALID }),
    );
  });
});

describe("BaseAgent tasks, context, progress and checkpoints", () => {
  it("does real work on a file: statistics and the file's SHA-256", async () => {
    const agent = new TextAgent();
    const progress: number[] = [];
    const response = await agent.run(
      { description: "stats", input: { path: join(dir, "poem.txt") } },
      { onProgress: (p) => progress.push(p) },
    );
    expect(response.success).toBe(true);
    expect(response.data).toEqual({ ...textStats(poem), sha256: sha256(poem) });
    expect(progress).toEqual([0.5, 1]);
    expect(agent.getProgress()).toEqual({ progress: 1, message: null });
    const kinds = agent.getContext().map((e) => e.kind);
    expect(kinds).toEqual([
      "task",
      "tool_call",
      "tool_result",
      "tool_call",
      "tool_result",
      "tool_call",
      "tool_result",
    ]);
  });

  it("turns a throwing executeTask into a failed response coded ECHELON_TASK_FAILED", async () => {
    class Thrower extends BaseAgent {
      constructor() {
        super({ name: "thrower" }, {});
      }
      protected registerTools() {}
      async executeTask(): Promise<ToolResponse> {
        throw new TypeError("boom");
      }
    }
    const response = await new Thrower().run({ description: "x" });
    expect(response).toMatchObject({
      success: false,
      error: { code: "ECHELON_TASK_FAILED", message: "boom" },
    });
  });

  it("does not start a task whose signal is already aborted", async () => {
    const agent = new TextAgent();
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const response = await agent.run(
      { description: "x", input: { text: "a" } },
      { signal: controller.signal },
    );
    expect(response.success).toBe(false);
    expect(agent.checkpoint().state.tasksDone).toBe(0);
  });

  it("checkpoints its state and restores it after a JSON round trip", async () => {
    const a = new TextAgent();
    await a.run({ description: "t", input: { text: "one two three" } } satisfies AgentTask);
    const saved = JSON.parse(JSON.stringify(a.checkpoint()));
    const b = new TextAgent();
    b.restore(saved);
    expect(b.checkpoint()).toEqual(a.checkpoint());
    await b.run({ description: "t", input: { text: "four five" } });
    expect(b.checkpoint().state).toEqual({ tasksDone: 2, wordsSeen: 5 });
    expect(a.checkpoint().state).toEqual({ tasksDone: 1, wordsSeen: 3 });
  });

  it("refuses another agent's or a malformed checkpoint, naming the problems", () => {
    const other = new TextAgent("other").checkpoint();
    const agent = new TextAgent();
    try {
      agent.restore({ ...other, progress: { progress: 7 } });
      expect.unreachable();
    } catch (error) {
      expect(isEchelonError(error, AdapterErrorCode.CHECKPOINT_INVALID)).toBe(true);
      const paths = (error as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
      expect(paths).toEqual(["checkpoint.agent", "checkpoint.progress"]);
    }
    expect(() => agent.restore("nope")).toThrow(
      expect.objectContaining({ code: AdapterErrorCode.CHECKPOINT_INVALID }),
    );
  });

  it("keeps at most maxContextEntries context entries, dropping the oldest", async () => {
    const agent = new TextAgent();
    for (let i = 0; i < 20; i++) await agent.run({ description: `t${i}`, input: { text: `word${i}` } });
    const context = agent.getContext();
    expect(context).toHaveLength(50);
    expect(context.at(-3)).toMatchObject({ kind: "task", data: { description: "t19" } });
  });

  it("passes attempt and idempotency key to the task", async () => {
    const seen: Array<[number, string]> = [];
    class Echo extends BaseAgent {
      constructor() {
        super({ name: "echo" }, {});
      }
      protected registerTools() {}
      async executeTask(_t: AgentTask, ctx: TaskRunContext): Promise<ToolResponse> {
        seen.push([ctx.attempt, ctx.idempotencyKey]);
        return { success: true, data: null };
      }
    }
    await new Echo().run({ description: "x" }, { attempt: 3, idempotencyKey: "o/1" });
    expect(seen).toEqual([[3, "o/1"]]);
  });
});

describe("validateJsonSchema", () => {
  it("accepts integers as numbers and unions of types", () => {
    expect(validateJsonSchema({ type: "number" }, 3)).toEqual([]);
    expect(validateJsonSchema({ type: ["string", "object"] }, { a: 1 })).toEqual([]);
    expect(validateJsonSchema({ type: ["string", "object"] }, 1)).toEqual([
      { path: "args", message: "must be string or object, got integer" },
    ]);
  });

  it("checks enums, array items and lengths", () => {
    const schema = { type: "array", minItems: 1, items: { type: "string", enum: ["a", "b"] } } as const;
    expect(validateJsonSchema(schema, ["a", "c"])).toEqual([
      { path: "args[1]", message: 'must be one of "a", "b"' },
    ]);
    expect(validateJsonSchema(schema, [])).toEqual([
      { path: "args", message: "must NOT have fewer than 1 items" },
    ]);
  });
});
