import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EchelonEvent } from "../events/event-map.js";

/**
 * Where the journal of an orchestrator's events lives. Events are JSON-serialisable, so a
 * durable store can write them as they come. Memory is the default; `@echelon/store-sqlite`
 * (later) journals the same events durably.
 */
export interface EventStore {
  /** Name of the store, for diagnostics. */
  readonly name: string;
  /** Appends one event. Must not throw for a well-formed event; must be fast (called on the hot path). */
  append(event: EchelonEvent): void;
  /** Every event of one orchestration, in order. */
  read(orchestrationId: string): readonly EchelonEvent[] | Promise<readonly EchelonEvent[]>;
  /** Ids of the orchestrations it holds, oldest first. */
  list(): readonly string[] | Promise<readonly string[]>;
}

/** Options of {@link MemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Orchestrations kept (an integer, 1 to 1,000,000); the oldest is dropped beyond this. Default 100. */
  readonly maxOrchestrations?: number;
}

/** The default store: keeps the events of the most recent orchestrations in memory. */
export class MemoryEventStore implements EventStore {
  readonly name = "memory";
  private readonly byRun = new Map<string, EchelonEvent[]>();
  private readonly maxOrchestrations: number;

  /**
   * @param options - retention
   * @throws EchelonError `ECHELON_CONFIG_INVALID` when `maxOrchestrations` is not an integer from 1 to 1,000,000
   */
  constructor(options: MemoryEventStoreOptions = {}) {
    const max = options.maxOrchestrations ?? 100;
    if (!Number.isInteger(max) || max < 1 || max > 1_000_000) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `MemoryEventStore: maxOrchestrations must be an integer from 1 to 1,000,000, got ${String(max)}.`,
        { details: { option: "maxOrchestrations", value: String(max) } },
      );
    }
    this.maxOrchestrations = max;
  }

  append(event: EchelonEvent): void {
    let list = this.byRun.get(event.orchestrationId);
    if (list === undefined) {
      list = [];
      this.byRun.set(event.orchestrationId, list);
      if (this.byRun.size > this.maxOrchestrations) {
        const oldest = this.byRun.keys().next().value;
        if (oldest !== undefined) this.byRun.delete(oldest);
      }
    }
    list.push(event);
  }

  read(orchestrationId: string): readonly EchelonEvent[] {
    return this.byRun.get(orchestrationId) ?? [];
  }

  list(): readonly string[] {
    return [...this.byRun.keys()];
  }
}
