import { MockLanguageModelV3 } from "ai/test";

/** One scripted answer: text and token counts. */
export interface ScriptedAnswer {
  readonly text: string;
  readonly input?: number;
  readonly output?: number;
}

/** The prompt the mock received on each call (system + messages, as the provider sees them). */
export type SeenPrompt = ReadonlyArray<{ role: string; content: unknown }>;

/**
 * The AI SDK's own MockLanguageModelV3 answering from a script (the last answer repeats), or
 * from a function of the call index and prompt.
 */
export function scriptedModel(
  script: ScriptedAnswer[] | ((call: number, prompt: SeenPrompt) => ScriptedAnswer),
  modelId = "mock-model",
) {
  const prompts: SeenPrompt[] = [];
  const model = new MockLanguageModelV3({
    modelId,
    doGenerate: async (options) => {
      const call = prompts.length;
      prompts.push(options.prompt as SeenPrompt);
      const answer =
        typeof script === "function"
          ? script(call, options.prompt as SeenPrompt)
          : script[Math.min(call, script.length - 1)]!;
      const input = answer.input ?? 10;
      const output = answer.output ?? 5;
      return {
        content: [{ type: "text", text: answer.text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: output, text: output, reasoning: 0 },
        },
        warnings: [],
      };
    },
  });
  return { model, prompts };
}

/** Text of every message of a seen prompt, joined. */
export function promptText(prompt: SeenPrompt): string {
  return prompt
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : (m.content as Array<{ type: string; text?: string }>).map((p) => p.text ?? "").join(""),
    )
    .join("\n");
}
