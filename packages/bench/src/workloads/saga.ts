import { functionAgent, type TaskSpec } from "@echelon/core";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectEqual, hashBody } from "./bodies.js";
import { prepared } from "./echelon-setup.js";

function stepsOf(options: Readonly<Record<string, unknown>>): number {
  return typeof options.steps === "number" ? options.steps : 5;
}

/** What every variant must observe per saga: the completed steps undone in reverse order. */
function expectedUndo(steps: number): string[] {
  return Array.from({ length: steps - 1 }, (_, i) => `s${steps - 2 - i}`);
}

function step(saga: number, index: number, steps: number): string {
  if (index === steps - 1) throw new Error(`step s${index} of saga ${saga} fails on purpose`);
  return hashBody(`${saga}:s${index}`);
}

const hand: VariantFactory = async (size, options) => {
  const steps = stepsOf(options);
  return async () => ({
    async run() {
      const undone: string[][] = [];
      for (let saga = 0; saga < size; saga++) {
        const done: { id: string; output: string }[] = [];
        const log: string[] = [];
        try {
          for (let i = 0; i < steps; i++)
            done.push({ id: `s${i}`, output: await Promise.resolve(step(saga, i, steps)) });
        } catch {
          for (const d of done.reverse()) {
            await Promise.resolve(hashBody(d.output));
            log.push(d.id);
          }
        }
        undone.push(log);
      }
      return undone;
    },
    finish(undone) {
      for (const log of undone as string[][]) expectEqual("saga/hand", log, expectedUndo(steps));
      return { sagas: size, steps };
    },
  });
};

const echelon: VariantFactory = async (size, options) => {
  const steps = stepsOf(options);
  const spec: TaskSpec = {
    id: "order",
    description: `a saga of ${steps} steps whose last step fails`,
    pattern: "saga",
    children: Array.from({ length: steps }, (_, i) => ({
      id: `s${i}`,
      description: `step ${i}`,
      input: i,
      compensate: { description: `undo step ${i}`, metadata: { undo: `s${i}` } },
    })),
  };
  return async () => {
    let saga = 0;
    let log: string[] = [];
    const agent = functionAgent({ name: "steps" }, (work) => {
      const undo = work.metadata.undo;
      if (typeof undo === "string") {
        log.push(undo);
        return hashBody(String((work.input as { output: unknown }).output));
      }
      return step(saga, work.input as number, steps);
    });
    const { orchestrator, plan } = await prepared(
      "echelon",
      { maxDepth: 1, maxAgentsPerLevel: [1, 1], agents: [agent] },
      spec,
    );
    return {
      async run() {
        const outcomes: { code: string; undone: string[] }[] = [];
        for (saga = 0; saga < size; saga++) {
          log = [];
          const result = await orchestrator.orchestrateComplexTask(plan);
          outcomes.push({ code: result.error?.code ?? "none", undone: log });
        }
        return outcomes;
      },
      async finish(outcomes) {
        await orchestrator.shutdown();
        for (const o of outcomes as { code: string; undone: string[] }[]) {
          expectEqual("saga/echelon", o, { code: "ECHELON_SAGA_COMPENSATED", undone: expectedUndo(steps) });
        }
        return { sagas: size, steps };
      },
    };
  };
};

/**
 * Saga with compensation — `size` sagas one after another, `steps` steps each (default 5),
 * the last failing so the others are compensated in reverse: `hand` (try/catch and a loop)
 * and `echelon` (the saga pattern with compensating tasks).
 */
export const sagaWorkload: Workload = { name: "saga", variants: { hand, echelon } };
