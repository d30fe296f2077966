/**
 * Reads how long a provider asked to wait: `retry-after-ms` (milliseconds), then `Retry-After`
 * as delta-seconds or as an HTTP date.
 *
 * @param headers - response headers (any case)
 * @param now - current epoch milliseconds
 * @returns the wait in milliseconds (0 for a date in the past), or `null` when no usable header is present
 * @example
 * ```ts
 * retryAfterMs({ "retry-after": "2" }, Date.now()); // 2000
 * retryAfterMs({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }, Date.now()); // 0 (past)
 * ```
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  now: number,
): number | null {
  if (headers === undefined) return null;
  const get = (name: string): string | undefined => {
    for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value?.trim();
    return undefined;
  };
  const ms = get("retry-after-ms");
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = get("retry-after");
  if (value === undefined || value === "") return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
