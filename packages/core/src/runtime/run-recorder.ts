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

  constructor(
    private readonly orchestrationId: string,
    private readonly runtime: Runtime,
    options: RunStateOptions = {},
  ) {
    this.state = createRunState(orchestrationId, options);
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
    if (store !== null) {
      try {
        store.append(event);
      } catch (error) {
        this.runtime.logger.error("event store append failed", { store: store.name, message: String(error) });
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
