import { CoreErrorCode, EchelonError } from "@echelon/core";

/**
 * Checks the `eagerLevels` option of the LLM decomposer.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for anything but an integer from 1 to 64
 * @internal
 */
export function checkEagerLevels(value: unknown): number | null {
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 64) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `llmDecomposer: eagerLevels must be an integer from 1 to 64; got ${String(value)}.`,
      { details: { option: "eagerLevels", value: String(value) } },
    );
  }
  return value;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Lazy decomposition of a model's answer: a node `eagerLevels` below the root that has
 * children loses them (and its pattern) and is marked `expand: { using: "decompose" }`, so the
 * orchestrator asks for its plan when it is reached. The model is told to do this itself; this
 * makes sure of it whatever it answered. Works on the parsed JSON before validation (the
 * answer's shape is checked afterwards, with paths).
 *
 * @param value - the parsed answer (a TaskSpec, if the model followed the prompt)
 * @param eagerLevels - levels planned now below the root
 * @returns the answer with deeper levels left for later (a copy; the answer is not changed)
 * @internal
 */
export function deferBelow(value: unknown, eagerLevels: number): unknown {
  const visit = (node: unknown, depth: number): unknown => {
    if (!isRecord(node) || !Array.isArray(node.children) || node.children.length === 0) return node;
    if (depth < eagerLevels) return { ...node, children: node.children.map((c) => visit(c, depth + 1)) };
    const { children: _children, pattern: _pattern, patternOptions: _options, ...rest } = node;
    return { ...rest, expand: { using: "decompose" } };
  };
  return visit(value, 0);
}
