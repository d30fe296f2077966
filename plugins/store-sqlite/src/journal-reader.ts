import { gunzipSync } from "node:zlib";
import type { EchelonEvent } from "@echelon/core";
import type Database from "better-sqlite3";
import { type DecodeContext, decodeEvent, type EventRow, MalformedRowError } from "./codec/decode.js";
import { parseShape, type Shape } from "./codec/shape.js";

/** Reads a run's events back from its rows, outputs and plans. */
export class JournalReader {
  private readonly shapes = new Map<number, Shape>();
  private readonly sql;
  private readonly readRun: Database.Transaction<(orchestrationId: string) => EchelonEvent[]>;

  constructor(db: Database.Database) {
    this.sql = {
      runId: db.prepare("SELECT id FROM runs WHERE orchestration_id = ?").pluck(),
      shapes: db.prepare("SELECT id, spec FROM shapes").raw(),
      plans: db.prepare("SELECT id, body FROM plans WHERE run_id = ?").raw(),
      events: db
        .prepare("SELECT seq, shape_id, body, output, ref FROM events WHERE run_id = ? ORDER BY seq")
        .raw(),
    };
    // One read transaction: the run's rows come from one snapshot even while another process writes.
    this.readRun = db.transaction((orchestrationId: string) => this.readIn(orchestrationId));
  }

  /**
   * Every event of a run, in order (empty when unknown).
   *
   * @throws MalformedRowError for a row that does not match its shape; the SQLite error for a damaged file
   */
  read(orchestrationId: string): EchelonEvent[] {
    return this.readRun.deferred(orchestrationId);
  }

  private readIn(orchestrationId: string): EchelonEvent[] {
    const runId = this.sql.runId.get(orchestrationId) as number | undefined;
    if (runId === undefined) return [];
    // Outputs by the seq of the event holding them: later events refer to them by seq.
    const outputs = new Map<number, unknown>();
    const plans = lazyMap(new Map(this.sql.plans.all(runId) as [number, Buffer][]), (body) =>
      JSON.parse(gunzipSync(body).toString("utf8")),
    );
    let current: EventRow | null = null;
    const context: DecodeContext = {
      orchestrationId,
      shape: (id) => this.shape(id),
      output: (seq) => {
        if (current !== null && current[0] === seq && current[3] !== null) {
          const value = JSON.parse(current[3]) as unknown;
          outputs.set(seq, value);
          return value;
        }
        if (!outputs.has(seq)) throw new MalformedRowError(`the output of event ${seq} is missing`);
        return outputs.get(seq);
      },
      plan: (id) => plans(id, "plan"),
    };
    const events: EchelonEvent[] = [];
    for (const row of this.sql.events.all(runId) as EventRow[]) {
      current = row;
      const shape = this.shape(row[1]);
      if (shape === undefined) throw new MalformedRowError(`event ${row[0]} has an unknown shape ${row[1]}`);
      events.push(decodeEvent(row, shape, context));
    }
    return events;
  }

  private shape(id: number): Shape | undefined {
    let shape = this.shapes.get(id);
    if (shape === undefined) {
      // Another process (or an earlier write) added shapes: load them all once.
      for (const [sid, spec] of this.sql.shapes.all() as [number, string][]) {
        const parsed = parseShape(spec);
        if (parsed === null) throw new MalformedRowError(`shape ${sid} is not a shape: ${spec.slice(0, 80)}`);
        this.shapes.set(sid, parsed);
      }
      shape = this.shapes.get(id);
    }
    return shape;
  }
}

/** Values by id, each parsed on first use and then shared. */
function lazyMap<T>(
  raw: ReadonlyMap<number, T>,
  parse: (raw: T) => unknown,
): (id: number, what: string) => unknown {
  const parsed = new Map<number, unknown>();
  return (id, what) => {
    if (parsed.has(id)) return parsed.get(id);
    const value = raw.get(id);
    if (value === undefined) throw new MalformedRowError(`${what} ${id} is missing`);
    const result = parse(value);
    parsed.set(id, result);
    return result;
  };
}
