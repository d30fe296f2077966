import { twelveFactorAgent, OrchestrationEnabledAgent, type ToolResponse } from "@echelon/adapter-12factor";
import { createOrchestrator, type OrchestrationResult, type TaskSpec } from "echelon";
import { ReadmeAgent } from "./readme-agent.js";

/** What {@link analyseByToolCalls} returns: what a model would see, tool call by tool call. */
export interface ToolTranscript {
  readonly tools: string[];
  readonly orchestrate: ToolResponse;
  readonly status: ToolResponse;
  readonly badCall: ToolResponse;
}

/**
 * Drives an orchestration the way an LLM would — by tool calls on an
 * `OrchestrationEnabledAgent` — while the leaves are run by a 12-Factor `ReadmeAgent` put to
 * work in the hierarchy with `twelveFactorAgent`.
 *
 * @param files - Markdown files to analyse
 * @returns the tool responses
 */
export async function analyseByToolCalls(files: readonly string[]): Promise<ToolTranscript> {
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    agents: [twelveFactorAgent(() => new ReadmeAgent(), { capabilities: ["markdown"], maxInstances: 3 })],
  });
  const agent = new OrchestrationEnabledAgent({ orchestrator });
  const spec: TaskSpec = {
    description: "Shape of the READMEs",
    pattern: "mapreduce",
    children: files.map((path, i) => ({
      id: `readme-${i}`,
      description: `stats of ${path}`,
      input: path,
      capabilities: ["markdown"],
    })),
  };
  try {
    const orchestrate = await agent.callTool("orchestrate_complex_task", {
      task: spec,
      orchestrationId: "readmes",
      wait: true,
    });
    const status = await agent.callTool("get_orchestration_status", { orchestrationId: "readmes" });
    const badCall = await agent.callTool("get_orchestration_status", { orchestrationId: 42 });
    return { tools: agent.listTools().map((t) => t.name), orchestrate, status, badCall };
  } finally {
    await orchestrator.shutdown();
  }
}

/** The result inside a successful `orchestrate_complex_task` response. */
export const resultOf = (response: ToolResponse): OrchestrationResult => response.data as OrchestrationResult;
