import type { EchelonEvent } from "@echelon/core";
import { quantile, RingBuffer } from "./ring-buffer.js";
import type { PatternStats } from "./types.js";

interface Entry {
  executions: number;
  completed: number;
  partial: number;
  failed: number;
  readonly durations: RingBuffer<number>;
}

/** @internal Executions, outcomes and duration percentiles per pattern. */
export class PatternTable {
  private readonly entries = new Map<string, Entry>();

  /** @param samples - durations kept per pattern for p50/p95 */
  constructor(private readonly samples: number) {}

  /** Applies one event. */
  apply(event: EchelonEvent): void {
    switch (event.type) {
      case "pattern:started":
        this.entry(event.pattern).executions++;
        return;
      case "pattern:completed": {
        const e = this.entry(event.pattern);
        if (event.status === "partial") e.partial++;
        else e.completed++;
        e.durations.push(event.durationMs);
        return;
      }
      case "pattern:failed": {
        const e = this.entry(event.pattern);
        e.failed++;
        e.durations.push(event.durationMs);
        return;
      }
      default:
        return;
    }
  }

  /** Stats of every pattern seen, by name. */
  stats(): PatternStats[] {
    return [...this.entries.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([pattern, e]) => {
        const ended = e.completed + e.partial + e.failed;
        const durations = e.durations.toArray();
        return {
          pattern,
          executions: e.executions,
          completed: e.completed,
          partial: e.partial,
          failed: e.failed,
          successRate: ended === 0 ? null : (e.completed + e.partial) / ended,
          p50Ms: quantile(durations, 0.5),
          p95Ms: quantile(durations, 0.95),
        };
      });
  }

  private entry(pattern: string): Entry {
    let e = this.entries.get(pattern);
    if (!e) {
      e = { executions: 0, completed: 0, partial: 0, failed: 0, durations: new RingBuffer(this.samples) };
      this.entries.set(pattern, e);
    }
    return e;
  }
}
