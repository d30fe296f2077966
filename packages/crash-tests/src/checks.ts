import { type EchelonEvent, NodePath, replayOrchestration } from "echelon";
import type { PlanName } from "./plans.js";
import { mapReducesOf, otherStagesOf, sagasOf } from "./plans.js";
import { type CrashRecord, RUN_ID, type RunRecord } from "./scenario.js";

/**
 * Keys left out of the comparison; everything else is compared. `durationMs`: wall times
 * differ between any two runs. `compensationAttempts`: the saga reports the attempts of
 * compensations run *in this process*, so a compensation that completed before the crash
 * shows 0 after the resume (1 in the fault-free run); whether it ran exactly once is checked
 * on the effects ledger instead.
 */
const MEASURED = new Set(["durationMs", "compensationAttempts"]);

/** A copy of a JSON value without the measured keys. */
export function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!MEASURED.has(k)) out[k] = withoutTimings(v);
  return out;
}

/** The output of a run as the harness compares it: state, result and coded error (with details). */
export function outcomeOf(result: unknown): unknown {
  const r = result as {
    state: string;
    success: boolean;
    result: unknown;
    error: { code: string; message: string; details?: unknown } | null;
  };
  return withoutTimings({
    state: r.state,
    success: r.success,
    result: r.result,
    error:
      r.error === null ? null : { code: r.error.code, message: r.error.message, details: r.error.details },
  });
}

/** The final state of every task, folded from a journal with core's reducer. */
export function taskStates(journal: readonly EchelonEvent[]): Record<string, string> {
  const { state } = replayOrchestration(journal);
  const out: Record<string, string> = {};
  for (const path of Object.keys(state.tasks).sort()) out[path] = state.tasks[path]!.state;
  return out;
}

const keyOf = (path: string): string => `${RUN_ID}/${path}`;
const pathOfKey = (key: string): string => key.slice(RUN_ID.length + 1);

/**
 * The effects of one saga, in the order applied: its step ids, and `<step>:compensate` for
 * compensations.
 */
export function sagaSequence(effects: readonly string[], sagaPath: string): string[] {
  const prefix = `${sagaPath}/`;
  return effects
    .map(pathOfKey)
    .filter((path) => path.startsWith(prefix))
    .map((path) => path.slice(prefix.length));
}

/**
 * Checks the saga invariant: the effects are steps 1..n in order, or steps 1..j in order
 * then the compensations of j..1 in reverse order — never a compensation of a step that did
 * not run, never a step after a compensation, nothing twice.
 *
 * @returns `null` when it holds, else what is wrong
 */
export function sagaViolation(sequence: readonly string[], steps: readonly string[]): string | null {
  let j = 0;
  while (j < sequence.length && sequence[j] === steps[j]) j++;
  const rest = sequence.slice(j);
  if (rest.length === 0) return null;
  const undo = steps
    .slice(0, j)
    .reverse()
    .map((s) => NodePath.compensation(s));
  if (rest.length === undo.length && rest.every((s, i) => s === undo[i])) return null;
  return `saga effects [${sequence.join(", ")}] are neither steps 1..n nor steps 1..j then compensations j..1`;
}

/** How many keys ran in both processes (a leaf that re-ran after the crash: at least once). */
export function rerunKeys(attempts: readonly string[]): number {
  const byPhase = { run: new Set<string>(), resume: new Set<string>() };
  for (const line of attempts) {
    const [phase, key] = line.split(" ") as ["run" | "resume", string];
    byPhase[phase]?.add(key);
  }
  let n = 0;
  for (const key of byPhase.resume) if (byPhase.run.has(key)) n++;
  return n;
}

/** Where in the plan the process died, named from the journal it left. */
export type Moment =
  | "before the plan"
  | "map fan-out"
  | "saga forward step"
  | "compensation"
  | "after a cancel"
  | "after the end"
  | "fork-join DAG"
  | "scatter-gather"
  | "between stages"
  | "elsewhere";

const ENDED = new Set(["task:completed", "task:failed", "task:cancelled"]);
const TERMINAL = new Set(["orchestration:completed", "orchestration:failed", "orchestration:cancelled"]);

/** The root's node path, from the journal's first `task:started`. */
function planRoot(before: readonly EchelonEvent[]): string | null {
  return before.find((e) => e.type === "task:started")?.nodePath ?? null;
}

/**
 * Names the moment of a kill from the journal as the crash left it: inside a map-reduce that
 * had started and not ended (its fan-out), inside a saga that started and had not failed or
 * been cancelled (a forward step), inside a saga compensating, inside the fork-join DAG or the
 * scatter-gather, between two stages of the root, after a journaled cancel.
 */
export function momentsOf(plan: PlanName, before: readonly EchelonEvent[]): Moment[] {
  if (!before.some((e) => e.type === "orchestration:started")) return ["before the plan"];
  if (before.some((e) => TERMINAL.has(e.type))) return ["after the end"];
  const running = (path: string): boolean =>
    before.some((e) => e.type === "task:started" && e.nodePath === path) &&
    !before.some((e) => ENDED.has(e.type) && e.nodePath === path);
  const moments: Moment[] = [];
  if (mapReducesOf(plan).some(running)) moments.push("map fan-out");
  for (const saga of sagasOf(plan).keys()) {
    if (!running(saga)) continue;
    const turned = before.some((e) => e.type === "saga:stepFailed" && e.nodePath === saga);
    moments.push(turned ? "compensation" : "saga forward step");
  }
  for (const [path, moment] of otherStagesOf(plan)) if (running(path)) moments.push(moment);
  if (moments.length === 0 && planRoot(before) !== null && running(planRoot(before)!))
    moments.push("between stages");
  if (before.some((e) => e.type === "orchestration:cancelling")) moments.push("after a cancel");
  return moments.length > 0 ? moments : ["elsewhere"];
}

/**
 * Everything that is wrong with a crashed-and-resumed run, compared with the fault-free run
 * of the same plan. Empty when the resume ended exactly as the fault-free run did.
 */
export function crashProblems(plan: PlanName, reference: RunRecord, crash: CrashRecord): string[] {
  const problems: string[] = [];
  // The process died where it was told to, and the journal kept exactly what was committed.
  if (crash.first.signal !== "SIGKILL")
    problems.push(
      `the first process was not killed (exit ${crash.first.code}, ${crash.first.stderr.trim()})`,
    );
  if (crash.kill.unit === "event" && crash.before.length !== crash.kill.at)
    problems.push(`the journal holds ${crash.before.length} events after a kill at write ${crash.kill.at}`);
  if (crash.note !== null && crash.before.length !== crash.note.eventsWritten)
    problems.push(
      `the journal holds ${crash.before.length} events; the killed process had committed ${crash.note.eventsWritten}`,
    );
  if (crash.resumed.code !== 0 || crash.output === null) {
    problems.push(
      `the resume failed (exit ${crash.resumed.code}): ${crash.resumed.stderr.trim().slice(0, 800)}`,
    );
    return problems;
  }
  // The same output as the fault-free run, and every task ends the same way.
  const want = JSON.stringify(outcomeOf(reference.output?.result));
  const got = JSON.stringify(outcomeOf(crash.output.result));
  if (want !== got) problems.push(`result differs:\n  want ${want}\n  got  ${got}`);
  const wantStates = taskStates(reference.journal);
  const gotStates = taskStates(crash.journal);
  for (const path of new Set([...Object.keys(wantStates), ...Object.keys(gotStates)]))
    if (wantStates[path] !== gotStates[path])
      problems.push(`task ${path} ended ${gotStates[path]}, fault-free ${wantStates[path]}`);
  // Every effect once per key, and exactly the fault-free run's effects.
  const seen = new Set<string>();
  for (const key of crash.effects) {
    if (seen.has(key)) problems.push(`effect ${key} applied twice`);
    seen.add(key);
  }
  const expected = new Set(reference.effects);
  for (const key of expected) if (!seen.has(key)) problems.push(`effect ${key} missing`);
  for (const key of seen) if (!expected.has(key)) problems.push(`effect ${key} not in the fault-free run`);
  // The saga invariant, and the same saga outcome as the fault-free run.
  for (const [saga, steps] of sagasOf(plan)) {
    const sequence = sagaSequence(crash.effects, saga);
    const violation = sagaViolation(sequence, steps);
    if (violation !== null) problems.push(`${saga}: ${violation}`);
    const wanted = sagaSequence(reference.effects, saga);
    if (sequence.join() !== wanted.join())
      problems.push(`${saga}: effects [${sequence.join(", ")}], fault-free [${wanted.join(", ")}]`);
  }
  // A leaf (or compensation) whose completion the crash kept never runs again.
  const done = new Set(
    crash.before
      .filter((e) => e.type === "task:completed" && e.kind !== "composite")
      .map((e) => keyOf(e.nodePath)),
  );
  for (const line of crash.attempts) {
    const [phase, key] = line.split(" ");
    if (phase === "resume" && key !== undefined && done.has(key))
      problems.push(`${key} ran again although its completion was journaled before the crash`);
  }
  return problems;
}
