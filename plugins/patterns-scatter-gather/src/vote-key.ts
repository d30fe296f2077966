/** Turns an answer into the key votes are counted by (equal keys = equal answers). */
export type VoteKeyFunction = (output: unknown) => string | number | boolean;

/**
 * The default vote key: JSON with object keys sorted, so `{a:1,b:2}` and `{b:2,a:1}` vote
 * together.
 *
 * @param output - an answer (JSON)
 * @returns its canonical JSON text
 */
export function canonicalJson(output: unknown): string {
  return JSON.stringify(sortKeys(output)) ?? "undefined";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
