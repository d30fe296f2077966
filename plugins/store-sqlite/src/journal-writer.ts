import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { Plan } from "@echelon/core";
import type Database from "better-sqlite3";
import { compose, MIN_MEMBER_JSON } from "./codec/compose.js";
import { encodeCompactPlan, PlanEncoding } from "./codec/plan.js";
import type { EncodedEvent, RunChange } from "./codec/encode.js";
import { type KeySource, ShapeCache, type ShapeKey } from "./codec/shape.js";

/** What this process knows of a run it writes: its row id, next sequence number, stored outputs and plan. */
interface RunCursor {
  readonly id: number;
  nextSeq: number;
  /** Bodies of the run's events in the transaction being written, and the `seq` of the first. */
  readonly batch: string[];
  batchStart: number;
  /** The `seq` of the event holding each output, by content (the JSON itself when short, else `#` + its sha256): each output is stored once. */
  readonly outputs: Map<string, number>;
  lastPlan: Plan | null;
  lastPlanId: number;
}

const SHORT_OUTPUT = 64;

function outputKey(json: string): string {
  return json.length <= SHORT_OUTPUT ? json : `#${createHash("sha256").update(json).digest("base64")}`;
}

/**
 * Writes batches of encoded events, one transaction per batch. The events a batch holds for a
 * run are one row of `event_batches`: their bodies, comma-joined (one insert per run and batch,
 * not per event).
 */
export class JournalWriter {
  private readonly runs = new Map<string, RunCursor>();
  private readonly shapeIds = new Map<string, number>();
  private readonly shapes = new ShapeCache();
  private readonly sql;
  private readonly transaction: Database.Transaction<(batch: readonly EncodedEvent[]) => number>;

  constructor(db: Database.Database) {
    this.sql = {
      insertRun: db.prepare(
        "INSERT INTO runs (orchestration_id, created_at_ms) VALUES (?, ?) ON CONFLICT (orchestration_id) DO NOTHING",
      ),
      runId: db.prepare("SELECT id FROM runs WHERE orchestration_id = ?").pluck(),
      nextSeq: db
        .prepare(
          "SELECT coalesce((SELECT first_seq + count FROM event_batches WHERE run_id = ? ORDER BY first_seq DESC LIMIT 1), 0)",
        )
        .pluck(),
      insertShape: db.prepare("INSERT INTO shapes (spec) VALUES (?) ON CONFLICT (spec) DO NOTHING"),
      shapeId: db.prepare("SELECT id FROM shapes WHERE spec = ?").pluck(),
      insertPlan: db.prepare("INSERT INTO plans (run_id, body, encoding) VALUES (?, ?, ?)"),
      insertBatch: db.prepare(
        "INSERT INTO event_batches (run_id, first_seq, count, body) VALUES (?, ?, ?, ?)",
      ),
      started: db.prepare(
        "UPDATE runs SET task_id = ?, state = 'running', started_at_ms = ?, ended_at_ms = NULL, plan_hash = NULL, plan_id = ? WHERE id = ?",
      ),
      ended: db.prepare("UPDATE runs SET state = ?, ended_at_ms = ? WHERE id = ?"),
      paused: db.prepare("UPDATE runs SET state = 'paused' WHERE id = ? AND state = 'running'"),
      resumed: db.prepare("UPDATE runs SET state = 'running' WHERE id = ? AND state = 'paused'"),
    };
    this.transaction = db.transaction((batch: readonly EncodedEvent[]) => {
      let rows = 0;
      const touched: RunCursor[] = [];
      for (const encoded of batch) {
        const run = this.cursor(encoded.orchestrationId);
        if (run.batch.length === 0) {
          run.batchStart = run.nextSeq;
          touched.push(run);
        }
        rows += this.writeOne(run, encoded);
      }
      for (const run of touched) {
        rows += this.sql.insertBatch.run(
          run.id,
          run.batchStart,
          run.batch.length,
          run.batch.join(","),
        ).changes;
        run.batch.length = 0;
      }
      return rows;
    });
  }

  /**
   * Writes a batch in one immediate transaction.
   *
   * @returns the rows written (event batches, plans, shapes and run updates)
   * @throws the SQLite error when the transaction fails (nothing of the batch is written)
   */
  write(batch: readonly EncodedEvent[]): number {
    try {
      return this.transaction.immediate(batch);
    } catch (error) {
      // The rolled-back transaction may have advanced cached ids: reload them next time.
      this.runs.clear();
      this.shapeIds.clear();
      throw error;
    }
  }

  /** Forgets cached cursors (after runs were pruned). */
  forget(orchestrationIds: Iterable<string>): void {
    for (const id of orchestrationIds) this.runs.delete(id);
  }

  /** Adds one event's body to its run's batch; writes its plan and run changes. @returns rows written */
  private writeOne(run: RunCursor, e: EncodedEvent): number {
    let rows = 0;
    const seq = run.nextSeq++;
    let value = "";
    let source: KeySource | null = null;
    const external = e.external;
    if (external?.kind === "output" || external?.kind === "result") {
      const json = external.json;
      // An output shorter than any reference to it is neither indexed nor looked up (most
      // leaves' outputs are a number or a short string): stored as is, every time.
      const short = json.length < MIN_MEMBER_JSON;
      const key = short ? "" : outputKey(json);
      const earlier = short ? undefined : run.outputs.get(key);
      if (external.kind === "output") {
        if (earlier !== undefined) {
          value = String(earlier);
          source = "O";
        } else if (short) {
          value = json;
          source = "o";
        } else {
          const composed = compose(external.value, (text) => run.outputs.get(outputKey(text)));
          if (composed === null) {
            value = json;
            source = "o";
          } else {
            value = JSON.stringify(composed);
            source = "C";
          }
          run.outputs.set(key, seq);
        }
      } else if (earlier !== undefined)
        [value, source] = [JSON.stringify({ ...external.value, result: earlier }), "R"];
      else [value, source] = [JSON.stringify(external.value), "v"];
    } else if (external?.kind === "plan") {
      if (run.lastPlan !== external.plan) {
        const compact = encodeCompactPlan(external.plan);
        const text = compact ?? JSON.stringify(external.plan);
        const body = gzipSync(text, { level: 1 });
        const encoding = compact === null ? PlanEncoding.JSON : PlanEncoding.COMPACT;
        run.lastPlanId = Number(this.sql.insertPlan.run(run.id, body, encoding).lastInsertRowid);
        run.lastPlan = external.plan;
        rows++;
      }
      [value, source] = [String(run.lastPlanId), "p"];
    }
    const keys = source === null ? e.keys : withSource(e.keys, e.externalKey, source);
    const spec = this.shapes.spec(e.type, keys);
    let shapeId = this.shapeIds.get(spec);
    if (shapeId === undefined) {
      rows += this.sql.insertShape.run(spec).changes;
      shapeId = this.sql.shapeId.get(spec) as number;
      this.shapeIds.set(spec, shapeId);
    }
    let body = `[${shapeId},${e.before}`;
    if (value !== "") body += `,${value}`;
    if (e.after !== "") body += `,${e.after}`;
    run.batch.push(`${body}]`);
    if (e.change !== null) rows += this.applyChange(run, e.change);
    return rows;
  }

  private applyChange(run: RunCursor, change: RunChange): number {
    switch (change.kind) {
      case "started":
        // The plan's hash is computed when first asked for (RunTable.summaries), off the run's path.
        return this.sql.started.run(
          change.taskId,
          change.startedAtEpochMs,
          change.plan !== null && change.plan === run.lastPlan ? run.lastPlanId : null,
          run.id,
        ).changes;
      case "ended":
        // Outputs of a finished run are not shared with later events: free the index.
        run.outputs.clear();
        return this.sql.ended.run(change.state, change.endedAtEpochMs, run.id).changes;
      case "paused":
        return this.sql.paused.run(run.id).changes;
      case "resumed":
        return this.sql.resumed.run(run.id).changes;
    }
  }

  private cursor(orchestrationId: string): RunCursor {
    let run = this.runs.get(orchestrationId);
    if (run === undefined) {
      this.sql.insertRun.run(orchestrationId, Date.now());
      const id = this.sql.runId.get(orchestrationId) as number;
      run = {
        id,
        nextSeq: this.sql.nextSeq.get(id) as number,
        batch: [],
        batchStart: 0,
        outputs: new Map(),
        lastPlan: null,
        lastPlanId: 0,
      };
      this.runs.set(orchestrationId, run);
    }
    return run;
  }
}

/** `keys` with the source of key `index` replaced (the external key, once the writer knows where its value lives). */
function withSource(keys: readonly ShapeKey[], index: number, source: KeySource): readonly ShapeKey[] {
  if (keys[index]![1] === source) return keys;
  const copy = keys.slice();
  copy[index] = [keys[index]![0], source];
  return copy;
}
