import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { EchelonError } from "@echelon/core";
import {
  type AgentTask,
  BaseAgent,
  defineTool,
  type TaskRunContext,
  type ToolResponse,
  toolFailure,
} from "../../src/index.js";

/** Word and character statistics of a text: the real work of the text agent. */
export function textStats(text: string, top = 3) {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const topWords = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top);
  return {
    characters: text.length,
    words: words.length,
    sentences: (text.match(/[.!?]+(\s|$)/g) ?? []).length,
    topWords: topWords.map(([word, count]) => ({ word, count })),
  };
}

/** SHA-256 of a string, hex. */
export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface TextAgentState {
  tasksDone: number;
  wordsSeen: number;
}

/** A 12-Factor agent with three tools: word statistics, file reading, file hashing. */
export class TextAgent extends BaseAgent<TextAgentState> {
  constructor(name = "text-agent") {
    super(
      { name, description: "Text statistics and file hashing.", maxContextEntries: 50 },
      { tasksDone: 0, wordsSeen: 0 },
    );
  }

  protected registerTools(): void {
    this.registerTool(
      defineTool<{ text: string; top?: number }>({
        name: "word_stats",
        description: "Counts characters, words and sentences and lists the most frequent words.",
        parameters: {
          type: "object",
          required: ["text"],
          additionalProperties: false,
          properties: { text: { type: "string" }, top: { type: "integer", minimum: 1, maximum: 20 } },
        },
        handler: ({ text, top }) => textStats(text, top),
      }),
    );
    this.registerTool(
      defineTool<{ path: string }>({
        name: "read_file",
        description: "Reads a UTF-8 text file.",
        parameters: {
          type: "object",
          required: ["path"],
          properties: { path: { type: "string", minLength: 1 } },
        },
        handler: ({ path }, { signal }) => readFile(path, { encoding: "utf8", signal }),
      }),
    );
    this.registerTool(
      defineTool<{ path: string }>({
        name: "hash_file",
        description: "SHA-256 of a file's bytes, hex.",
        parameters: {
          type: "object",
          required: ["path"],
          properties: { path: { type: "string", minLength: 1 } },
        },
        handler: async ({ path }, { signal }) => ({ path, sha256: sha256(await readFile(path, { signal })) }),
      }),
    );
  }

  /** Input `{ text }` → word stats; `{ path }` → file stats plus hash. */
  async executeTask(task: AgentTask, ctx: TaskRunContext): Promise<ToolResponse> {
    const input = (task.input ?? {}) as { text?: unknown; path?: unknown };
    let text: string;
    let hash: string | null = null;
    if (typeof input.path === "string") {
      const read = await this.callTool("read_file", { path: input.path }, { signal: ctx.signal });
      if (!read.success) return read;
      ctx.report(0.5, "file read");
      text = read.data as string;
      const hashed = await this.callTool("hash_file", { path: input.path }, { signal: ctx.signal });
      if (!hashed.success) return hashed;
      hash = (hashed.data as { sha256: string }).sha256;
    } else if (typeof input.text === "string") {
      text = input.text;
    } else {
      return toolFailure(new EchelonError("ECHELON_TEST_INPUT_INVALID", "Give { text } or { path }."));
    }
    const stats = await this.callTool("word_stats", { text }, { signal: ctx.signal });
    if (!stats.success) return stats;
    this.state.tasksDone++;
    this.state.wordsSeen += (stats.data as { words: number }).words;
    return {
      success: true,
      data: { ...(stats.data as object), ...(hash !== null ? { sha256: hash } : {}) },
      message: "done",
    };
  }
}
