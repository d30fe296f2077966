/**
 * Outputs made of earlier outputs. A composite's output usually aggregates its children's
 * (fork-join returns `{ childId: output }`, a root returns its groups'): stored as they are,
 * each leaf's output would be stored again at every level above it. Instead, the members that
 * equal an output stored earlier in the run are replaced by a reference to it.
 */

/** Members shorter than this (as JSON) are not even looked up: no reference could be smaller. */
export const MIN_MEMBER_JSON = 8;

/** True when a reference (`[member, seq]` plus the `0` left in place) is shorter than the member's JSON. */
function refIsSmaller(member: string | number, seq: number, json: string): boolean {
  const ref =
    (typeof member === "number" ? String(member).length : JSON.stringify(member).length) +
    String(seq).length +
    4;
  return ref + 1 < json.length;
}

/** Finds the `seq` of an earlier event of the run holding an output with this JSON, if any. */
export type EarlierOutput = (json: string) => number | undefined;

/** A composed output: the value with referenced members replaced by 0, and the references. */
export type Composed = readonly [
  template: unknown,
  refs: readonly (readonly [member: string | number, seq: number])[],
];

function memberJson(member: unknown): string | null {
  if (typeof member === "string") return member.length + 2 >= MIN_MEMBER_JSON ? JSON.stringify(member) : null;
  if (member === null || typeof member !== "object") return null;
  const text = JSON.stringify(member);
  return text !== undefined && text.length >= MIN_MEMBER_JSON ? text : null;
}

function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Composes `output` from earlier outputs: its direct members (array items or object values)
 * that equal an earlier output become references.
 *
 * @returns the composed form, or `null` when no member is an earlier output
 */
export function compose(output: unknown, earlier: EarlierOutput): Composed | null {
  if (output === null || typeof output !== "object") return null;
  const refs: [string | number, number][] = [];
  if (Array.isArray(output)) {
    const template = output.slice() as unknown[];
    for (let i = 0; i < output.length; i++) {
      const text = memberJson(output[i]);
      const seq = text === null ? undefined : earlier(text);
      if (seq !== undefined && refIsSmaller(i, seq, text!)) {
        template[i] = 0;
        refs.push([i, seq]);
      }
    }
    return refs.length === 0 ? null : [template, refs];
  }
  const source = output as Record<string, unknown>;
  const template: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) continue;
    const text = memberJson(value);
    const found = text === null ? undefined : earlier(text);
    const seq = found !== undefined && refIsSmaller(key, found, text!) ? found : undefined;
    if (seq !== undefined) refs.push([key, seq]);
    setMember(template, key, seq !== undefined ? 0 : value);
  }
  return refs.length === 0 ? null : [template, refs];
}

/**
 * Rebuilds a composed output (the inverse of {@link compose}).
 *
 * @param composed - `[template, refs]` as stored
 * @param output - the earlier output of a `seq`
 * @returns the output, or `null` when `composed` is not well-formed
 */
export function decompose(composed: unknown, output: (seq: number) => unknown): unknown {
  if (!Array.isArray(composed) || composed.length !== 2 || !Array.isArray(composed[1])) return null;
  const [template, refs] = composed as [unknown, unknown[]];
  if (template === null || typeof template !== "object") return null;
  for (const ref of refs) {
    if (!Array.isArray(ref) || typeof ref[1] !== "number") return null;
    const [member, seq] = ref as [string | number, number];
    if (Array.isArray(template) && typeof member === "number") template[member] = output(seq);
    else setMember(template as Record<string, unknown>, String(member), output(seq));
  }
  return template;
}
