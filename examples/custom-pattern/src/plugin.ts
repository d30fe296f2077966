import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import { HedgedPattern } from "./hedged-pattern.js";
import type { HedgeOptions } from "./options.js";

/**
 * The hedged-requests pattern plugin (pattern name `hedged`).
 *
 * @param defaults - default `hedgeAfterMs` and `maxHedges`, overridable per run through `patternOptions`
 * @returns the plugin
 * @example
 * ```ts
 * const orchestrator = new HierarchicalOrchestrator({ plugins: [hedgedPattern({ hedgeAfterMs: 100 })] });
 * ```
 */
export function hedgedPattern(defaults: HedgeOptions = {}): EchelonPlugin {
  const pattern = new HedgedPattern({ ...defaults });
  return definePlugin({
    name: "@echelon/example-custom-pattern",
    version: "0.1.0",
    register: (ctx) => ctx.registerPattern(pattern),
  });
}
