import { EchelonError } from "@echelon/core";
import { CliErrorCode } from "./errors.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration such as `7d`, `12h`, `30m`, `45s`, `500ms`, `2w` or `1.5h` (one number and
 * one unit) into milliseconds.
 *
 * @param text - the duration
 * @param option - the option it came from, for the error message
 * @returns milliseconds
 * @throws EchelonError `ECHELON_CLI_OPTION_INVALID` for anything else
 * @example
 * ```ts
 * parseDuration("7d", "--older-than"); // 604800000
 * ```
 */
export function parseDuration(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (match === null) {
    throw new EchelonError(
      CliErrorCode.OPTION_INVALID,
      `${option} ${JSON.stringify(text)} is not a duration: use a number and a unit, ms, s, m, h, d or w (e.g. 7d, 12h, 30m).`,
      { details: { option, value: text } },
    );
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}
