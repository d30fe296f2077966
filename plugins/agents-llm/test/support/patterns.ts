import type { EchelonPlugin } from "@echelon/core/plugin";
import { referencePatterns } from "@echelon/testing";

/** The reference patterns `parallel`, `sequence` (fail-fast) and `settled` (continue) from `@echelon/testing`. */
export function testPatterns(): EchelonPlugin {
  return referencePatterns("agents-llm-test-patterns");
}
