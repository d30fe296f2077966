import { EchelonError } from "echelon";
import correct from "spdx-correct";
import parse from "spdx-expression-parse";
import satisfies from "spdx-satisfies";
import { AuditErrorCode } from "./errors.js";
import { NO_LICENCE } from "./facts.js";

/**
 * A licence policy: SPDX licence ids (`MIT`, `GPL-2.0-or-later`, `Apache-2.0 WITH LLVM-exception`).
 * Empty lists impose nothing.
 */
export interface LicencePolicy {
  /** When not empty, a package must be usable under these licences alone. */
  readonly allow: readonly string[];
  /** A package must be usable without any of these licences. */
  readonly deny: readonly string[];
}

/** The verdict of a policy on one package's licence expression. */
export type LicenceCheck =
  | { readonly status: "allowed" }
  | { readonly status: "denied"; readonly reason: string }
  | { readonly status: "unknown"; readonly reason: string };

type Node = parse.Info;
type Leaf = parse.LicenseInfo;

const leafText = (leaf: Leaf, withException = true): string =>
  `${leaf.license}${leaf.plus ? "+" : ""}${withException && leaf.exception ? ` WITH ${leaf.exception}` : ""}`;

/** `spdx-satisfies`, false (rather than a throw) for an id it cannot compare. */
function satisfiedBy(licence: string, list: readonly string[]): boolean {
  try {
    return list.length > 0 && satisfies(licence, list);
  } catch {
    return false; // e.g. a LicenseRef-… that has no range to compare: it matches nothing listed
  }
}

/**
 * Parses a comma-separated list of SPDX licence ids (as given to `--allow` / `--deny`).
 *
 * @param text - e.g. `"GPL-3.0-only, AGPL-3.0-only"`
 * @param option - the option's name, for messages
 * @returns the ids, trimmed
 * @throws EchelonError `ECHELON_AUDIT_OPTIONS_INVALID` for an empty entry, a compound expression,
 * or a string that is not an SPDX id (with the likely id when `spdx-correct` finds one)
 */
export function parseLicenceList(text: string, option: string): string[] {
  return text.split(",").map((raw) => {
    const entry = raw.trim();
    const fail = (why: string) =>
      new EchelonError(AuditErrorCode.INVALID_OPTIONS, `${option}: ${why}`, { details: { option, entry } });
    if (entry === "") throw fail(`empty entry in "${text}"; separate SPDX ids with commas.`);
    let node: Node;
    try {
      node = parse(entry);
    } catch {
      const likely = correct(entry);
      throw fail(
        `"${entry}" is not an SPDX licence id${likely ? `; did you mean ${likely}?` : "."} See https://spdx.org/licenses/.`,
      );
    }
    if ("conjunction" in node) {
      throw fail(`"${entry}" is an expression; give one licence per entry, separated by commas.`);
    }
    return entry;
  });
}

function leavesOf(node: Node): Leaf[] {
  return "conjunction" in node ? [...leavesOf(node.left), ...leavesOf(node.right)] : [node];
}

/**
 * Checks one package's licence expression against a policy. The expression is parsed with
 * `spdx-expression-parse`; each licence in it is compared with the lists by `spdx-satisfies`
 * (which knows that `GPL-3.0` and `GPL-3.0-only` are one licence and that `GPL-2.0-or-later`
 * includes `GPL-3.0-only`); then `AND` needs both sides and `OR` either side.
 *
 * - allowed licence: satisfied by the allow list (every licence when the list is empty);
 * - denied licence: satisfied by the deny list, with or without its exception — so a licence
 *   "or later" is denied when any version it admits is denied (the policy does not pick a
 *   version for you).
 *
 * @param expression - the package's `license` field as recorded (`UNKNOWN` when missing)
 * @param policy - the lists
 * @returns allowed, denied (naming the licences in the way) or unknown (not an SPDX expression)
 */
export function checkLicence(expression: string, policy: LicencePolicy): LicenceCheck {
  if (expression === NO_LICENCE) return { status: "unknown", reason: "no licence declared" };
  let tree: Node;
  try {
    tree = parse(expression);
  } catch {
    return { status: "unknown", reason: `not an SPDX expression: "${expression}"` };
  }
  const denied = (leaf: Leaf) =>
    satisfiedBy(leafText(leaf), policy.deny) || satisfiedBy(leafText(leaf, false), policy.deny);
  const allowed = (leaf: Leaf) => policy.allow.length === 0 || satisfiedBy(leafText(leaf), policy.allow);
  const usable = (node: Node): boolean => {
    if (!("conjunction" in node)) return allowed(node) && !denied(node);
    return node.conjunction === "and"
      ? usable(node.left) && usable(node.right)
      : usable(node.left) || usable(node.right);
  };
  if (usable(tree)) return { status: "allowed" };
  const leaves = leavesOf(tree);
  const named = (label: string, list: Leaf[]) =>
    list.length === 0 ? [] : [`${label}: ${[...new Set(list.map((l) => leafText(l)))].join(", ")}`];
  const reason = [
    ...named("denied", leaves.filter(denied)),
    ...named(
      "not allowed",
      leaves.filter((l) => !denied(l) && !allowed(l)),
    ),
  ].join("; ");
  return { status: "denied", reason };
}

/** A package the policy names, with its licence and why. */
export interface PolicyFinding {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
  readonly reason: string;
}

/** A policy applied to every audited package. JSON. */
export interface PolicyReport extends LicencePolicy {
  /** Packages whose licence the policy denies. */
  readonly denied: readonly PolicyFinding[];
  /** Packages whose licence is missing or not an SPDX expression, so it cannot be checked. */
  readonly unknown: readonly PolicyFinding[];
  /**
   * True when a package is denied, or when a licence is unknown under an allow list (nothing
   * shows it is allowed). Under a deny list alone, unknown licences are listed but pass.
   */
  readonly broken: boolean;
}

/**
 * Applies a policy to every package.
 *
 * @param packages - name, version and licence of each package, in report order
 * @param policy - the lists (at least one not empty)
 * @returns the findings and whether the policy is broken
 */
export function applyPolicy(
  packages: ReadonlyArray<{ readonly name: string; readonly version: string; readonly licence: string }>,
  policy: LicencePolicy,
): PolicyReport {
  const denied: PolicyFinding[] = [];
  const unknown: PolicyFinding[] = [];
  for (const p of packages) {
    const check = checkLicence(p.licence, policy);
    if (check.status === "allowed") continue;
    const finding = { name: p.name, version: p.version, licence: p.licence, reason: check.reason };
    (check.status === "denied" ? denied : unknown).push(finding);
  }
  const report = { allow: [...policy.allow], deny: [...policy.deny], denied, unknown, broken: false };
  return { ...report, broken: breakingPolicy(report).length > 0 };
}

/**
 * The findings that break a policy: the denied packages, and the unknown licences when there is
 * an allow list.
 *
 * @param report - an applied policy
 * @returns those findings
 */
export function breakingPolicy(report: PolicyReport): PolicyFinding[] {
  return [...report.denied, ...(report.allow.length > 0 ? report.unknown : [])];
}
