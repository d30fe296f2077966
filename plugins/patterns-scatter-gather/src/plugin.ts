import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import type { ScatterGatherOptions } from "./options.js";
import { createScatterGatherPattern, type ScatterGatherPattern } from "./scatter-gather-pattern.js";
import { VERSION } from "./version.js";

/** The scatter-gather plugin: an {@link EchelonPlugin} that also exposes its pattern object. */
export interface ScatterGatherPlugin extends EchelonPlugin {
  /** The pattern it registers (carries `registerGatherStrategy` and `registerVoteKey`). */
  readonly pattern: ScatterGatherPattern;
}

/**
 * The scatter-gather pattern as a plugin: registers a pattern named `scatter-gather`.
 *
 * @param options - default options for every scatter-gather node (overridden by `patternOptions`)
 * @returns the plugin, with `plugin.pattern` for registering strategies and vote keys
 * @throws EchelonError `ECHELON_SCATTER_GATHER_INVALID_OPTIONS` for bad defaults
 * @example
 * ```ts
 * const sg = scatterGatherPattern({ gather: "first", deadlineMs: 1_000 });
 * const orchestrator = new HierarchicalOrchestrator({ plugins: [sg] });
 * ```
 */
export function scatterGatherPattern(options: ScatterGatherOptions = {}): ScatterGatherPlugin {
  const pattern = createScatterGatherPattern(options);
  const plugin = definePlugin({
    name: "@echelon/patterns-scatter-gather",
    version: VERSION,
    register(ctx) {
      ctx.registerPattern(pattern);
    },
  });
  return { ...plugin, pattern };
}
