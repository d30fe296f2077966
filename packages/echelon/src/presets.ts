import { EchelonError, type HierarchicalOrchestratorOptions } from "@echelon/core";
import { EchelonPackageErrorCode } from "./errors.js";

/** Names of the configuration presets. */
export type PresetName = "development" | "production" | "high-throughput";

/**
 * Documented starting points for the orchestrator's options (the seed document's
 * configuration presets). Every field is an ordinary option; spread a preset and override
 * what you need.
 *
 * | preset | maxDepth | maxAgentsPerLevel | defaultTimeoutMs | defaultRetry | strategy | retainFinished |
 * |---|---|---|---|---|---|---|
 * | development | 2 | [1, 4, 8] | 30,000 | 1 attempt | least-loaded | 100 |
 * | production | 3 | [2, 16, 64, 128] | 120,000 | 3 attempts, 200 ms backoff ×2 | least-loaded | 1,000 |
 * | high-throughput | 2 | [4, 64, 512] | 60,000 | 2 attempts, 50 ms backoff | least-loaded | 200 |
 */
export const presets: Readonly<Record<PresetName, HierarchicalOrchestratorOptions>> = Object.freeze({
  development: Object.freeze({
    maxDepth: 2,
    maxAgentsPerLevel: [1, 4, 8],
    defaultTimeoutMs: 30_000,
    defaultRetry: { attempts: 1 },
    strategy: "least-loaded",
    retainFinished: 100,
  }),
  production: Object.freeze({
    maxDepth: 3,
    maxAgentsPerLevel: [2, 16, 64, 128],
    defaultTimeoutMs: 120_000,
    defaultRetry: { attempts: 3, backoffMs: 200, factor: 2, maxBackoffMs: 5_000 },
    strategy: "least-loaded",
    coordinatorCapacity: 32,
    retainFinished: 1_000,
  }),
  "high-throughput": Object.freeze({
    maxDepth: 2,
    maxAgentsPerLevel: [4, 64, 512],
    defaultTimeoutMs: 60_000,
    defaultRetry: { attempts: 2, backoffMs: 50 },
    strategy: "least-loaded",
    coordinatorCapacity: 64,
    retainFinished: 200,
  }),
});

/**
 * A preset merged with your options (yours win; `agents` and `plugins` come only from you).
 *
 * @param name - `development`, `production` or `high-throughput`
 * @param overrides - options that replace the preset's
 * @returns options for `new HierarchicalOrchestrator(...)`
 * @throws EchelonError `ECHELON_PRESET_UNKNOWN` for another name
 * @example
 * ```ts
 * const orchestrator = new HierarchicalOrchestrator(withPreset("production", { agents }));
 * ```
 */
export function withPreset(
  name: PresetName,
  overrides: HierarchicalOrchestratorOptions = {},
): HierarchicalOrchestratorOptions {
  const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (preset === undefined) {
    throw new EchelonError(
      EchelonPackageErrorCode.UNKNOWN_PRESET,
      `Unknown preset "${String(name)}". Use one of: ${Object.keys(presets).join(", ")}.`,
      { details: { preset: String(name), known: Object.keys(presets) } },
    );
  }
  return { ...preset, ...overrides };
}
