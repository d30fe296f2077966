import { readFile } from "node:fs/promises";
import {
  type AgentTask,
  BaseAgent,
  defineTool,
  type TaskRunContext,
  type ToolResponse,
} from "@echelon/adapter-12factor";

/** What the `readme_stats` tool answers. */
export interface ReadmeStats {
  readonly path: string;
  readonly words: number;
  readonly headings: number;
  readonly codeBlocks: number;
  readonly links: number;
}

/** Counts words, headings, fenced code blocks and links of a Markdown text. */
export function readmeStats(path: string, text: string): ReadmeStats {
  return {
    path,
    words: text.split(/\s+/).filter(Boolean).length,
    headings: (text.match(/^#{1,6} /gm) ?? []).length,
    codeBlocks: Math.floor((text.match(/^```/gm) ?? []).length / 2),
    links: (text.match(/\]\([^)]+\)/g) ?? []).length,
  };
}

/**
 * A 12-Factor agent: one JSON-Schema tool (`readme_stats`), its own JSON state (how many files
 * it read) that `checkpoint()` saves, and tasks answered with a ToolResponse.
 */
export class ReadmeAgent extends BaseAgent<{ filesRead: number }> {
  constructor() {
    super(
      { name: "readme-agent", description: "Reads Markdown files and reports their shape." },
      { filesRead: 0 },
    );
  }

  protected registerTools(): void {
    this.registerTool(
      defineTool<{ path: string }>({
        name: "readme_stats",
        description: "Words, headings, code blocks and links of a Markdown file.",
        parameters: {
          type: "object",
          required: ["path"],
          properties: { path: { type: "string", minLength: 1 } },
        },
        handler: async ({ path }) => {
          const text = await readFile(path, "utf8");
          this.state.filesRead++;
          return readmeStats(path, text);
        },
      }),
    );
  }

  async executeTask(task: AgentTask, context: TaskRunContext): Promise<ToolResponse> {
    return this.callTool("readme_stats", { path: String(task.input) }, { signal: context.signal });
  }
}
