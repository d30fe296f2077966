import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EchelonEvent, EchelonEventMap, EchelonEventName } from "../events/event-map.js";
import { applyRunEvent } from "../run-state/apply-event.js";
import { createRunState, type RunState, type RunStateOptions } from "../run-state/run-state.js";
import type { Runtime } from "./runtime.js";

/**
 * Records a run's events: each one is folded into the run state, appended to the journal,
 * shown to the result enrichers and published on the bus, in that order. The state is the
 * run's status; nothing else keeps one.
 */
export class RunRecorder {
  /** The run's state, folded from every event recorded so far. */
  readonly state: RunState;
  /** Called once when the journal cannot be written: the run must stop (fail closed). */
  onJournalFailure: ((error: EchelonError) => void) | null = null;
  private journalFailed = false;

  constructor(
    private readonly orchestrationId: string,
    private readonly runtime: Runtime,
    options: RunStateOptions = {},
    from?: RunState,
  ) {
    this.state = from ?? createRunState(orchestrationId, options);
  }

  /** True when the store journals durably (`commit` exists): a leaf counts as done only once committed. */
  get durable(): boolean {
    return this.runtime.store?.commit !== undefined;
  }

  /**
   * Resolves once everything recorded so far is durable (at once for a store without `commit`);
   * a failure stops the run with `ECHELON_STORE_WRITE_FAILED` and rejects with it.
   */
  async commit(): Promise<void> {
    const store = this.runtime.store;
    if (store?.commit === undefined) return;
    try {
      await store.commit();
    } catch (error) {
      throw this.journalFailure(error);
    }
  }

  /** Builds an event and records it. */
  record<K extends EchelonEventName>(
    type: K,
    nodePath: string,
    payload: EchelonEventMap[K],
    ts: number = performance.now(),
  ): void {
    this.publish({
      type,
      orchestrationId: this.orchestrationId,
      nodePath,
      ts,
      ...payload,
    } as unknown as EchelonEvent);
  }

  /** Records a fully built event (the hot path builds its own). */
  publish(event: EchelonEvent): void {
    applyRunEvent(this.state, event);
    const { store, events, enrichers } = this.runtime;
    if (store !== null && !this.journalFailed) {
      try {
        store.append(event);
      } catch (error) {
        this.journalFailure(error);
      }
    }
    for (let i = 0; i < enrichers.length; i++) {
      const enricher = enrichers[i]!;
      if (enricher.value.observe === undefined) continue;
      try {
        enricher.value.observe(event);
      } catch (error) {
        this.hookFailed(enricher.plugin, "observe", error);
      }
    }
    events.publish(event);
  }

  /** The journal could not be written: the run stops (fail closed) and stays resumable from what was committed. */
  private journalFailure(error: unknown): EchelonError {
    const failure =
      error instanceof EchelonError && error.code === CoreErrorCode.STORE_WRITE_FAILED
        ? error
        : new EchelonError(
            CoreErrorCode.STORE_WRITE_FAILED,
            `The journal (${this.runtime.store?.name ?? "store"}) could not be written: ${error instanceof Error ? error.message : String(error)}. The run stopped; fix the store and resume it.`,
            { cause: error, details: { orchestrationId: this.orchestrationId } },
          );
    if (!this.journalFailed) {
      this.journalFailed = true;
      this.runtime.logger.error("journal write failed; stopping the run", { message: failure.message });
      this.onJournalFailure?.(failure);
    }
    return failure;
  }

  /** Reports a failing plugin hook that must not stop the run (an enricher): logged and emitted. */
  hookFailed(plugin: string | null, hook: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.runtime.logger.error("plugin hook failed", { plugin, hook, message });
    this.runtime.events.emit(
      "plugin:hookFailed",
      { orchestrationId: this.orchestrationId, nodePath: "", ts: performance.now() },
      { plugin, hook, message },
    );
  }
}
