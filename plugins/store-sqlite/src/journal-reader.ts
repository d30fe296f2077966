import type { EchelonEvent } from "@echelon/core";
import type Database from "better-sqlite3";
import { type DecodeContext, decodeEvent, MalformedRowError } from "./codec/decode.js";
import { decodeStoredPlan } from "./codec/plan.js";
import { parseShape, type Shape } from "./codec/shape.js";

/** Reads a run's events back from its rows and plans. */
export class JournalReader {
  private readonly shapes = new Map<number, Shape>();
  private readonly sql;
  private readonly readRun: Database.Transaction<
    (orchestrationId: string, visit: (event: EchelonEvent) => void) => void
  >;

  constructor(db: Database.Database) {
    this.sql = {
      runId: db.prepare("SELECT id FROM runs WHERE orchestration_id = ?").pluck(),
      shapes: db.prepare("SELECT id, spec FROM shapes").raw(),
      plan: db.prepare("SELECT body, encoding FROM plans WHERE id = ? AND run_id = ?").raw(),
      batches: db
        .prepare("SELECT first_seq, count, body FROM event_batches WHERE run_id = ? ORDER BY first_seq")
        .raw(),
    };
    // One read transaction: the run's rows come from one snapshot even while another process writes.
    this.readRun = db.transaction((orchestrationId: string, visit: (event: EchelonEvent) => void) =>
      this.readIn(orchestrationId, visit),
    );
  }

  /**
   * Every event of a run, in order (empty when unknown).
   *
   * @throws MalformedRowError for a row that does not match its shape; the SQLite error for a damaged file
   */
  read(orchestrationId: string): EchelonEvent[] {
    const events: EchelonEvent[] = [];
    this.readRun.deferred(orchestrationId, (event) => events.push(event));
    return events;
  }

  /**
   * Hands every event of a run to `visit`, in order, as each row is decoded (none when unknown).
   * `visit` must not use the database: the rows are still being read.
   *
   * @throws what {@link JournalReader.read} throws, and what `visit` throws
   */
  readEach(orchestrationId: string, visit: (event: EchelonEvent) => void): void {
    this.readRun.deferred(orchestrationId, visit);
  }

  private readIn(orchestrationId: string, visit: (event: EchelonEvent) => void): void {
    const runId = this.sql.runId.get(orchestrationId) as number | undefined;
    if (runId === undefined) return;
    const plans = new Map<number, unknown>();
    const context: DecodeContext = {
      orchestrationId,
      outputs: new Map(),
      plan: (id) => {
        if (!plans.has(id)) {
          const row = this.sql.plan.get(id, runId) as [Buffer, number] | undefined;
          if (row === undefined)
            throw new MalformedRowError(`plan ${id} of run ${orchestrationId} is missing`);
          plans.set(id, decodeStoredPlan(row[0], row[1]));
        }
        return plans.get(id);
      },
    };
    let seq = 0;
    // Iterated, not loaded at once: each batch's text dies young, which keeps the GC cheap.
    for (const row of this.sql.batches.iterate(runId) as IterableIterator<[number, number, string]>) {
      const [first, count, text] = row;
      // The writer numbers a run's events 0, 1, 2, … without gaps: batches follow each other.
      if (first !== seq)
        throw new MalformedRowError(
          `run ${orchestrationId} has a batch from event ${first} after ${seq} events`,
        );
      const bodies = parseBatch(seq, count, text);
      for (let i = 0; i < bodies.length; i++) {
        const body = bodies[i];
        if (!Array.isArray(body)) throw new MalformedRowError(`the body of event ${seq} is not a JSON array`);
        visit(decodeEvent(seq, body, this.shape(body[0]), context));
        seq++;
      }
    }
  }

  private shape(id: unknown): Shape {
    let shape = typeof id === "number" ? this.shapes.get(id) : undefined;
    if (shape === undefined) {
      // Another process (or an earlier write) added shapes: load them all once.
      for (const [sid, spec] of this.sql.shapes.all() as [number, string][]) {
        const parsed = parseShape(spec);
        if (parsed === null) throw new MalformedRowError(`shape ${sid} is not a shape: ${spec.slice(0, 80)}`);
        this.shapes.set(sid, parsed);
      }
      shape = typeof id === "number" ? this.shapes.get(id) : undefined;
      if (shape === undefined) throw new MalformedRowError(`an event names an unknown shape ${String(id)}`);
    }
    return shape;
  }
}

/** The bodies of a batch of `count` events from `seq` (its text is their JSON, comma-joined). */
function parseBatch(seq: number, count: number, text: string): unknown[] {
  let bodies: unknown;
  try {
    bodies = JSON.parse(`[${text}]`);
  } catch (error) {
    throw new MalformedRowError(`the batch of events from ${seq} is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(bodies) || bodies.length !== count || count === 0)
    throw new MalformedRowError(`the batch of events from ${seq} does not hold its ${count} events`);
  return bodies;
}
