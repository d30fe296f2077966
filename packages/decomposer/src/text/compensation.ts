import { INVERSES } from "./lexicon.js";
import { decapitalize, words } from "./scan.js";
import { verbOf } from "./verbs.js";

/**
 * The description of the step that undoes `step`: the inverse of its verb when known
 * ("Deploy the api" → "Roll back the deployment of the api"), else a revert of its effects.
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
  if (
    (verb === "roll" || verb === "scale" || verb === "set" || verb === "spin") &&
    particle !== undefined &&
    ["up", "out", "back"].includes(particle)
  ) {
    rest = ws.slice(2);
  }
  const template = key === undefined ? undefined : INVERSES.get(key);
  const object = rest.join(" ");
  if (template !== undefined && object.length > 0) return template.replace("$", object);
  return `Revert the effects of "${decapitalize(step)}"`;
}
