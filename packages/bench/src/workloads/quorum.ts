import { functionAgent, type OrchestrationResult } from "@echelon/core";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectEqual, hashBody } from "./bodies.js";
import { expectSuccess, prepared } from "./echelon-setup.js";

function settings(options: Readonly<Record<string, unknown>>): { replicas: number; quorum: number } {
  return {
    replicas: typeof options.replicas === "number" ? options.replicas : 5,
    quorum: typeof options.quorum === "number" ? options.quorum : 3,
  };
}

function expectedAnswers(quorum: number): string[] {
  return Array.from({ length: quorum }, () => hashBody("question"));
}

/** The answers of a scatter-gather result: `{ value: [...] }` or the bare list. */
function answersOf(result: unknown): unknown {
  if (typeof result === "object" && result !== null && !Array.isArray(result) && "value" in result) {
    return (result as { value: unknown }).value;
  }
  return result;
}

async function respond(input: string, signal: AbortSignal): Promise<string> {
  if (signal.aborted) throw signal.reason;
  return hashBody(input);
}

/** Broadcast to `replicas` respondents, resolve with the first `quorum` answers, abort the rest. */
function quorumByHand(input: string, replicas: number, quorum: number): Promise<string[]> {
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    const answers: string[] = [];
    let failures = 0;
    for (let r = 0; r < replicas; r++) {
      respond(input, controller.signal).then(
        (answer) => {
          if (answers.length >= quorum) return;
          answers.push(answer);
          if (answers.length === quorum) {
            controller.abort();
            resolve(answers);
          }
        },
        (error: unknown) => {
          failures++;
          if (replicas - failures < quorum) reject(error);
        },
      );
    }
  });
}

const hand: VariantFactory = async (size, options) => {
  const { replicas, quorum } = settings(options);
  return async () => ({
    async run() {
      const out: string[][] = [];
      for (let i = 0; i < size; i++) out.push(await quorumByHand("question", replicas, quorum));
      return out;
    },
    finish(out) {
      for (const answers of out as string[][]) expectEqual("quorum/hand", answers, expectedAnswers(quorum));
      return { gathers: size, replicas, quorum };
    },
  });
};

const echelon: VariantFactory = async (size, options) => {
  const { replicas, quorum } = settings(options);
  const spec = {
    id: "ask",
    description: `ask ${replicas} respondents, accept ${quorum} answers`,
    pattern: "scatter-gather",
    patternOptions: { gather: "quorum", replicas, quorum },
    children: [{ id: "q", description: "answer the question", input: "question" }],
  };
  const agent = functionAgent({ name: "respondent" }, (work, ctx) =>
    respond(work.input as string, ctx.signal),
  );
  return async () => {
    const { orchestrator, plan } = await prepared(
      "echelon",
      { maxDepth: 1, maxAgentsPerLevel: [1, replicas], agents: [agent] },
      spec,
    );
    return {
      async run() {
        const out: OrchestrationResult[] = [];
        for (let i = 0; i < size; i++) out.push(await orchestrator.orchestrateComplexTask(plan));
        return out;
      },
      async finish(out) {
        await orchestrator.shutdown();
        for (const result of out as OrchestrationResult[]) {
          expectSuccess("quorum/echelon", result);
          expectEqual("quorum/echelon", answersOf(result.result), expectedAnswers(quorum));
        }
        return { gathers: size, replicas, quorum };
      },
    };
  };
};

/**
 * Scatter-gather with a quorum — `size` gathers one after another, each broadcasting to
 * `replicas` respondents (default 5) and accepting `quorum` answers (default 3): `hand`
 * (promises and an AbortController) and `echelon` (the scatter-gather pattern, gather `quorum`).
 */
export const quorumWorkload: Workload = { name: "quorum", variants: { hand, echelon } };
