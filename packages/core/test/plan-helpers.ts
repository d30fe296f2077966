import { expect } from "vitest";
import { EchelonError } from "../src/errors/index.js";
import type { SpecIssue } from "../src/plan/index.js";

/** Runs `fn`, expects an EchelonError with `code`, and returns it. */
export function catchCoded(fn: () => unknown, code: string): EchelonError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EchelonError);
  const error = caught as EchelonError;
  expect(error.code).toBe(code);
  return error;
}

/** The issues of an `ECHELON_SPEC_INVALID` thrown by `fn`. */
export function issuesOf(fn: () => unknown): SpecIssue[] {
  const error = catchCoded(fn, "ECHELON_SPEC_INVALID");
  return error.details.issues as SpecIssue[];
}

/** A chain of `levels` nested tasks, built without recursion. */
export function nested(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { description: "leaf" };
  for (let i = 0; i < levels; i++) node = { description: `level ${levels - i - 1}`, children: [node] };
  return node;
}
