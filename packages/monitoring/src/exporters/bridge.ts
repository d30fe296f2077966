import type { EchelonEvent, EventBus, Logger } from "@echelon/core";
import { silentLogger } from "@echelon/core";
import { checkPositiveInt } from "../errors.js";

/** Something that consumes batches of events off the hot path (Prometheus, OpenTelemetry, yours). */
export interface EventExporter {
  /** Name, for logs. */
  readonly name: string;
  /**
   * Handles a batch of events, in emission order. May be async: the next batch waits for it,
   * the orchestration never does. Throwing (or rejecting) is logged and counted, never propagated.
   */
  handle(events: readonly EchelonEvent[]): void | Promise<void>;
}

/** Options of {@link attachExporter}. */
export interface AttachExporterOptions {
  /** Events buffered while the exporter is busy; beyond this the oldest are dropped (and counted). Default 10,000. */
  readonly maxQueue?: number;
  /** Largest batch handed to the exporter at once. Default 1,000. */
  readonly maxBatch?: number;
  /** Where failures are logged. Default silent. */
  readonly logger?: Logger;
}

/** A running exporter attachment. */
export interface ExporterHandle {
  /** Events dropped because the exporter could not keep up. */
  readonly dropped: number;
  /** Batches whose handling threw or rejected. */
  readonly failures: number;
  /** Resolves once every event received so far was handed to the exporter and handled. */
  flush(): Promise<void>;
  /** Detaches from the bus (events already queued are still delivered by `flush`). */
  close(): void;
}

/**
 * Feeds a bus's events to an exporter without ever slowing or failing the orchestration: the
 * bus listener only appends to a bounded queue; batches are delivered on a later turn of the
 * event loop, one batch in flight at a time; errors are caught, logged and counted.
 *
 * @param bus - the event bus
 * @param exporter - the consumer
 * @param options - queue bounds and logger
 * @returns a handle with `flush()`, `close()` and counters
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` for a bad bound
 */
export function attachExporter(
  bus: EventBus,
  exporter: EventExporter,
  options: AttachExporterOptions = {},
): ExporterHandle {
  checkPositiveInt("attachExporter", "maxQueue", options.maxQueue);
  checkPositiveInt("attachExporter", "maxBatch", options.maxBatch);
  const maxQueue = options.maxQueue ?? 10_000;
  const maxBatch = options.maxBatch ?? 1_000;
  const logger = options.logger ?? silentLogger;
  let queue: EchelonEvent[] = [];
  let scheduled = false;
  let inFlight = false;
  let dropped = 0;
  let failures = 0;
  let idle: Array<() => void> = [];

  const settle = (): void => {
    if (queue.length > 0 || inFlight || scheduled) return;
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };
  const failed = (error: unknown): void => {
    failures++;
    logger.warn("exporter failed; the orchestration is unaffected", {
      exporter: exporter.name,
      message: error instanceof Error ? error.message : String(error),
    });
  };
  const schedule = (): void => {
    if (scheduled || inFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(drain);
  };
  const drain = (): void => {
    scheduled = false;
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    let pending: Promise<void> | null = null;
    try {
      const returned = exporter.handle(batch);
      if (returned instanceof Promise) pending = returned;
    } catch (error) {
      failed(error);
    }
    if (pending !== null) {
      inFlight = true;
      pending.then(
        () => {
          inFlight = false;
          schedule();
          settle();
        },
        (error: unknown) => {
          failed(error);
          inFlight = false;
          schedule();
          settle();
        },
      );
      return;
    }
    schedule();
    settle();
  };

  const unsubscribe = bus.onAny((event) => {
    queue.push(event);
    if (queue.length > maxQueue) {
      queue.shift();
      dropped++;
    }
    schedule();
  });

  return {
    get dropped() {
      return dropped;
    },
    get failures() {
      return failures;
    },
    flush: () =>
      new Promise<void>((resolve) => {
        idle.push(resolve);
        schedule();
        settle();
      }),
    close: unsubscribe,
  };
}
