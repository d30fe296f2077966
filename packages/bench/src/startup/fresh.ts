/**
 * A fresh process measuring a start-up figure from the inside:
 * `node dist/startup/fresh.js <what> <size>` prints one JSON line `{ ms, importMs, outputs }`.
 * `import-echelon` / `import-p-limit`: the dynamic import of the package alone. `cold-echelon`,
 * `cold-p-limit`, `cold-raw`: import, then the first W1 run of `size` no-op leaves (outputs
 * collected in order, cap 100), as a script or a CLI meets it.
 *
 * @module
 */

const noop = async (i: number): Promise<number> => i;

async function coldEchelon(size: number): Promise<unknown[]> {
  const { createOrchestrator, functionAgent } = await import("echelon");
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 100],
    agents: [functionAgent({ name: "noop" }, (work) => noop(work.input as number))],
  });
  const result = await orchestrator.orchestrateComplexTask({
    id: "fanout",
    description: `${size} no-op leaves`,
    pattern: "mapreduce",
    patternOptions: { reducer: "concat" },
    children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
  });
  return result.result as unknown[];
}

async function coldPLimit(size: number): Promise<unknown[]> {
  const { default: pLimit } = await import("p-limit");
  const limit = pLimit(100);
  return Promise.all(Array.from({ length: size }, (_, i) => limit(() => noop(i))));
}

async function measure(
  what: string,
  size: number,
): Promise<{ ms: number; importMs: number; outputs: number }> {
  const start = performance.now();
  switch (what) {
    case "import-echelon":
      await import("echelon");
      break;
    case "import-p-limit":
      await import("p-limit");
      break;
    case "cold-echelon":
    case "cold-p-limit":
    case "cold-raw": {
      const outputs =
        what === "cold-echelon"
          ? await coldEchelon(size)
          : what === "cold-p-limit"
            ? await coldPLimit(size)
            : await Promise.all(Array.from({ length: size }, (_, i) => noop(i)));
      const ms = performance.now() - start;
      if (!outputs.every((v, i) => v === i) || outputs.length !== size)
        throw new Error(`${what}: the outputs are not 0 … ${size - 1} in order`);
      return { ms, importMs: 0, outputs: outputs.length };
    }
    default:
      throw new Error(`unknown start-up measurement "${what}"`);
  }
  const ms = performance.now() - start;
  return { ms, importMs: ms, outputs: 0 };
}

measure(process.argv[2] ?? "", Number(process.argv[3] ?? 1)).then(
  (figures) => {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
