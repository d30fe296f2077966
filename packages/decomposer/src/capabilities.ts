/**
 * Capability inference: a capability is required when its pattern matches the task's text.
 * The default rules are listed in the README; callers can replace them.
 */

/** One inference rule: when `pattern` matches the lower-cased text, `capability` is required. */
export interface CapabilityRule {
  /** Capability name. */
  readonly capability: string;
  /** Tested against the lower-cased task text. */
  readonly pattern: RegExp;
}

/** The default capability rules, in the order their capabilities are listed on a task. */
export const DEFAULT_CAPABILITY_RULES: readonly CapabilityRule[] = [
  {
    capability: "coding",
    pattern:
      /\b(?:implement\w*|cod(?:e|ing)|refactor\w*|fix(?:es|ed|ing)?|bugs?|develop\w*|program\w*|port|endpoints?|apis?|sdk|library|function|feature|frontend|backend|app)\b/,
  },
  {
    capability: "testing",
    pattern: /\b(?:tests?|testing|tested|qa|e2e|smoke|regressions?|coverage|verif\w*|validat\w*)\b/,
  },
  {
    capability: "deployment",
    pattern:
      /\b(?:deploy\w*|releas\w*|rollouts?|roll(?:ed|ing)? ?out|roll(?:ed|ing)? ?back\w*|promot\w*|ship\w*|staging|production|canary|ci\/cd)\b/,
  },
  {
    capability: "infrastructure",
    pattern:
      /\b(?:provision\w*|kubernetes|k8s|clusters?|servers?|terraform|docker|containers?|vms?|network\w*|dns|load balancers?|cloud|regions?|platform)\b/,
  },
  {
    capability: "database",
    pattern:
      /\b(?:databases?|migrations?|db|dbs|sql|schemas?|postgres\w*|mysql|mongo\w*|indexes|queries|query)\b/,
  },
  {
    capability: "security",
    pattern:
      /\b(?:secur\w*|auth\w*|oauth2?|sso|vulnerabilit\w*|encrypt\w*|pentest\w*|penetration|secrets?|permissions?|access control)\b/,
  },
  {
    capability: "research",
    pattern: /\b(?:research\w*|search\w*|literature|papers?|investigat\w*|study|studies|sources|scholarly)\b/,
  },
  {
    capability: "analysis",
    pattern:
      /\b(?:analy[sz]\w*|trends?|statistics|metrics|evaluat\w*|assess\w*|compar\w*|benchmark\w*|profil\w*|gaps?|insights?|forecast\w*)\b/,
  },
  {
    capability: "writing",
    pattern:
      /\b(?:reports?|release notes|document(?:s|ation)?|docs|draft\w*|summar\w*|blog|articles?|posts?|guides?|readme|changelog|proposal|copy|newsletter|write-?up|findings)\b/,
  },
  {
    capability: "data",
    pattern:
      /\b(?:extract\w*|transform\w*|etl|ingest\w*|scrap\w*|pars(?:e|ing)|clean\w*|datasets?|csv|records|backfill\w*|import\w*|export\w*)\b/,
  },
  {
    capability: "design",
    pattern: /\b(?:design\w*|mockups?|wireframes?|ui|ux|prototyp\w*|architect\w*|logo)\b/,
  },
  {
    capability: "review",
    pattern: /\b(?:review\w*|audit\w*|approv\w*|opinions?|votes?|voting|consensus|experts?|feedback)\b/,
  },
  { capability: "translation", pattern: /\b(?:translat\w*|locali[sz]\w*|languages?)\b/ },
  {
    capability: "ml",
    pattern: /\b(?:train(?:ing)?|models?|fine-tun\w*|machine learning|ml|embeddings?|inference|llms?)\b/,
  },
  {
    capability: "communication",
    pattern: /\b(?:emails?|notify|notif\w*|announc\w*|slack|communicat\w*|stakeholders?|customers)\b/,
  },
  {
    capability: "monitoring",
    pattern: /\b(?:monitor\w*|alert\w*|observability|logging|dashboards?|uptime)\b/,
  },
];

/**
 * Capabilities a task's text requires under the given rules: the capabilities whose pattern
 * matches, ordered by where in the text they match first (the leading verb usually names the
 * main one), at most `limit` of them, without duplicates.
 *
 * @param text - the task's description
 * @param rules - inference rules; default {@link DEFAULT_CAPABILITY_RULES}
 * @param limit - most capabilities returned; default 2
 * @returns capability names
 * @example
 * ```ts
 * inferCapabilities("Write unit tests for the parser"); // ["testing"]
 * inferCapabilities("Implement OAuth2 login"); // ["coding", "security"]
 * ```
 */
export function inferCapabilities(
  text: string,
  rules: readonly CapabilityRule[] = DEFAULT_CAPABILITY_RULES,
  limit = 2,
): string[] {
  const lower = text.toLowerCase();
  const hits: { capability: string; at: number; order: number }[] = [];
  for (let order = 0; order < rules.length; order++) {
    const rule = rules[order]!;
    const at = lower.search(rule.pattern);
    if (at >= 0 && !hits.some((h) => h.capability === rule.capability))
      hits.push({ capability: rule.capability, at, order });
  }
  hits.sort((a, b) => a.at - b.at || a.order - b.order);
  return hits.slice(0, Math.max(0, limit)).map((h) => h.capability);
}
