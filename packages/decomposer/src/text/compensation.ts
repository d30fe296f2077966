import { INVERSES } from "./lexicon.js";
import { decapitalize, words } from "./scan.js";
import { verbOf } from "./verbs.js";

/** Prepositions that open a step's object ("Deploy *to* staging"). */
const PREPOSITION = /^(?:to|into|onto|from|for|on|in|at|with|across|via|over)$/i;

/**
 * The description of the step that undoes `step`: the inverse of its verb when known
 * ("Deploy the api" → "Roll back the deployment of the api", "Deploy to staging" → "Roll back
 * the deployment to staging"), else a revert of its effects.
 *
 * @internal
 */
export function compensationFor(step: string): string {
  const ws = words(step);
  const verb = verbOf(ws[0] ?? "");
  const particle = ws[1]?.toLowerCase();
  let rest = ws.slice(1);
  let key = verb;
  if (verb === "set" && particle === "up") key = "setup";
  if (verb === "roll" && particle === "out") key = "rollout";
  if (verb === "roll" && particle === "back") key = undefined;
  if (
    (verb === "roll" || verb === "scale" || verb === "set" || verb === "spin") &&
    particle !== undefined &&
    ["up", "out", "back"].includes(particle)
  ) {
    rest = ws.slice(2);
  }
  const template = key === undefined ? undefined : INVERSES.get(key);
  const object = rest.join(" ");
  if (template !== undefined && object.length > 0) {
    if (!PREPOSITION.test(rest[0]!)) return template.replace("$", object);
    // "Deploy to staging": a noun template takes the phrase as is; a verb template cannot.
    if (template.includes(" of $")) return template.replace(" of $", ` ${object}`);
  }
  return `Revert the effects of "${decapitalize(step)}"`;
}
