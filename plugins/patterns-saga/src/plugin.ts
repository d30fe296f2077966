import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import type { SagaOptions } from "./options.js";
import { createSagaPattern, type SagaPattern } from "./saga-pattern.js";
import { VERSION } from "./version.js";

/** The saga plugin: an {@link EchelonPlugin} that also exposes its pattern object. */
export interface SagaPlugin extends EchelonPlugin {
  /** The pattern it registers (carries `registerCompensationHandler`). */
  readonly pattern: SagaPattern;
}

/**
 * The saga pattern as a plugin: registers a pattern named `saga`.
 *
 * @param options - default options for every saga node (overridden by `patternOptions`)
 * @returns the plugin, with `plugin.pattern` for registering compensation handlers
 * @throws EchelonError `ECHELON_SAGA_INVALID_OPTIONS` for bad defaults
 * @example
 * ```ts
 * const saga = sagaPattern({ compensationRetry: { attempts: 3, backoffMs: 100 } });
 * saga.pattern.registerCompensationHandler("charge-card", (charge) => refund(charge));
 * const orchestrator = new HierarchicalOrchestrator({ plugins: [saga] });
 * ```
 */
export function sagaPattern(options: SagaOptions = {}): SagaPlugin {
  const pattern = createSagaPattern(options);
  const plugin = definePlugin({
    name: "@echelon/patterns-saga",
    version: VERSION,
    register(ctx) {
      ctx.registerPattern(pattern);
    },
  });
  return { ...plugin, pattern };
}
