import type { EchelonEvent } from "../events/event-map.js";

/**
 * Adds plugin facts to `result.metadata.extra` (e.g. LLM token usage). Registered under
 * `RESULT_ENRICHER`; called once per orchestration with its events' summary hook.
 */
export interface ResultEnricher {
  /** Key under `metadata.extra`. */
  readonly key: string;
  /** Called for every event of the orchestration, in order. */
  observe?(event: EchelonEvent): void;
  /** Returns the JSON value to store under `key` for the orchestration (or `undefined` to add nothing). */
  summarize(orchestrationId: string): unknown;
}
