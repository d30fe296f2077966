import { EventEmitter } from "eventemitter3";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";
import type { EchelonEvent, EchelonEventMap, EchelonEventName, EventBase } from "./event-map.js";

/** A listener of one event type. */
export type EventListener<K extends EchelonEventName> = (event: EchelonEvent<K>) => void;
/** A listener of every event. */
export type AnyEventListener = (event: EchelonEvent) => void;

/**
 * The typed event bus of one orchestrator, on eventemitter3. A listener that throws is
 * reported (as `bus:listenerFailed` and to the logger) and never breaks the run.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly anyListeners = new Set<AnyEventListener>();
  private readonly wrapped = new WeakMap<object, (event: EchelonEvent) => void>();
  private reporting = false;

  /** @param logger - where listener failures are logged */
  constructor(private readonly logger: Logger = silentLogger) {}

  /**
   * Subscribes to one event type.
   *
   * @returns a function that unsubscribes
   */
  on<K extends EchelonEventName>(type: K, listener: EventListener<K>): () => void {
    const safe = (event: EchelonEvent) => this.invoke(listener as unknown as AnyEventListener, event);
    this.wrapped.set(listener, safe);
    this.emitter.on(type, safe);
    return () => this.off(type, listener);
  }

  /** Unsubscribes a listener added with {@link EventBus.on}. */
  off<K extends EchelonEventName>(type: K, listener: EventListener<K>): void {
    const safe = this.wrapped.get(listener);
    if (safe) this.emitter.off(type, safe);
  }

  /**
   * Subscribes to every event (monitoring, stores, exporters).
   *
   * @returns a function that unsubscribes
   */
  onAny(listener: AnyEventListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  /** True when anything listens to `type` (or to every event). Lets hot paths skip building payloads. */
  hasListeners(type: EchelonEventName): boolean {
    return this.anyListeners.size > 0 || this.emitter.listenerCount(type) > 0;
  }

  /**
   * Emits an event to its listeners, then to the every-event listeners.
   *
   * @param type - event name
   * @param base - orchestration id, node path, monotonic timestamp
   * @param payload - the event's fields
   */
  emit<K extends EchelonEventName>(type: K, base: EventBase, payload: EchelonEventMap[K]): void {
    if (this.anyListeners.size === 0 && this.emitter.listenerCount(type) === 0) return;
    this.publish({ type, ...base, ...payload } as unknown as EchelonEvent);
  }

  /** Delivers an already-built event to its listeners, then to the every-event listeners. */
  publish(event: EchelonEvent): void {
    if (this.emitter.listenerCount(event.type) > 0) this.emitter.emit(event.type, event);
    for (const listener of this.anyListeners) this.invoke(listener, event);
  }

  /** Removes every listener. */
  clear(): void {
    this.emitter.removeAllListeners();
    this.anyListeners.clear();
  }

  private invoke(listener: AnyEventListener, event: EchelonEvent): void {
    try {
      listener(event);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error("event listener threw", { event: event.type, message });
      if (this.reporting || event.type === "bus:listenerFailed") return;
      this.reporting = true;
      try {
        this.emit(
          "bus:listenerFailed",
          { orchestrationId: event.orchestrationId, nodePath: event.nodePath, ts: performance.now() },
          { event: event.type, message },
        );
      } finally {
        this.reporting = false;
      }
    }
  }
}
