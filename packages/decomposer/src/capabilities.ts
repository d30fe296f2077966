/**
 * Capability inference: a capability is required when its pattern matches the task's text.
 * The default rules are listed in the README; callers can replace them.
 */

/**
 * One inference rule. `pattern` holds words that name the domain on their own ("refactor",
 * "Kubernetes"); `ambiguous` holds everyday words that name it only in context ("clean" the
 * data, but not the kitchen): they count when `context` matches the text too, or when two
 * different ambiguous words of the rule appear ("promote the release"). All are tested against
 * the lower-cased text.
 */
export interface CapabilityRule {
  /** Capability name. */
  readonly capability: string;
  /** Words that require the capability on their own. */
  readonly pattern: RegExp;
  /** Words that require it only next to a `context` word or another ambiguous word. */
  readonly ambiguous?: RegExp;
  /** Words that show the ambiguous ones are meant in this domain. */
  readonly context?: RegExp;
}

/** Words that show a software, data or operations setting. */
const TECH =
  /\b(?:code|codebase|bugs?|crash\w*|errors?|exceptions?|tests?|apis?|endpoints?|modules?|services?|microservices?|repo\w*|scripts?|parser|lexer|compiler|builds?|frontend|backend|login|signup|checkout|ui|css|html|quer(?:y|ies)|pipelines?|ci|sdk|deploy\w*|servers?|databases?|schemas?|clusters?|kubernetes|docker|containers?|staging|dependenc\w*|runtime|node|python|rust|java|typescript|javascript|npm|git|branch\w*|commits?|regressions?|memory|leak|latency|cache|caching|logs?|config\w*|websites?|mobile|ios|android|firmware|drivers?|plugins?|integrations?|webhooks?|oauth\w*|tokens?|certificates?|dns|network|cloud|aws|gcp|azure|vms?|cpu|gpu|json|yaml|csv|sql|hotfix|worker|cli|binary|linter|typo|function|library|app|apps|feature|package)\b/;

/** Words that show a data setting. */
const DATA =
  /\b(?:data|datasets?|csv|json|xml|rows|columns|records|entries|duplicates?|logs|spreadsheets?|warehouse|etl|schemas?|database|responses|transcripts?)\b/;

/** The default capability rules, in the order their capabilities are listed on a task. */
export const DEFAULT_CAPABILITY_RULES: readonly CapabilityRule[] = [
  {
    capability: "coding",
    pattern:
      /\b(?:implement\w*|code|coding|codebase|refactor\w*|bugs?|debug\w*|endpoints?|apis?|sdk|frontend|backend|pull requests?|repos?|repository)\b/,
    ambiguous:
      /\b(?:fix(?:es|ed|ing)?|develop\w*|program\w*|port|library|function|feature|app|apps|investigat\w*|troubleshoot\w*)\b/,
    context: TECH,
  },
  {
    capability: "testing",
    pattern: /\b(?:tests|testing|tested|qa|e2e|regressions?|unit tests?|load tests?|test suites?)\b/,
    ambiguous: /\b(?:test|coverage|smoke|verif\w*|validat\w*)\b/,
    context: TECH,
  },
  {
    capability: "deployment",
    pattern:
      /\b(?:deploy\w*|rollouts?|roll(?:ed|ing)? ?out|roll(?:ed|ing)? ?back\w*|canary|ci\/cd|staging)\b/,
    ambiguous: /\b(?:releas\w*|promot\w*|ship\w*|production)\b/,
    context: TECH,
  },
  {
    capability: "infrastructure",
    pattern:
      /\b(?:provision\w*|kubernetes|k8s|clusters?|terraform|docker|containers?|vms?|dns|load balancers?|cloud)\b/,
    ambiguous: /\b(?:servers?|network\w*|regions?|platform)\b/,
    context: TECH,
  },
  {
    capability: "database",
    pattern: /\b(?:databases?|migrations?|db|dbs|sql|postgres\w*|mysql|mongo\w*|sqlite)\b/,
    ambiguous: /\b(?:schemas?|indexes|queries|query|tables?)\b/,
    context: TECH,
  },
  {
    capability: "security",
    pattern:
      /\b(?:secur\w*|auth|authenticat\w*|authoriz\w*|oauth2?|sso|vulnerabilit\w*|encrypt\w*|pentest\w*|penetration|access control|tls|ssl)\b/,
    ambiguous: /\b(?:secrets?|permissions?|credentials?|keys|certificates?)\b/,
    context: TECH,
  },
  {
    capability: "research",
    pattern: /\b(?:research\w*|literature|scholarly|arxiv)\b/,
    ambiguous: /\b(?:search\w*|investigat\w*|study|studies|sources|papers?)\b/,
    context: /\b(?:academic|scientific|journals?|evidence|state of the art|prior art|citations?)\b/,
  },
  {
    capability: "analysis",
    pattern:
      /\b(?:analy[sz]\w*|trends?|statistics|metrics|evaluat\w*|assess\w*|compar\w*|benchmark\w*|gaps?|insights?|forecast\w*)\b/,
    ambiguous: /\b(?:profil\w*)\b/,
    context: TECH,
  },
  {
    capability: "writing",
    pattern:
      /\b(?:reports?|release notes|document|documentation|docs|draft\w*|summar\w*|blog|articles?|readme|changelog|proposal|newsletter|write-?up|findings|proofread\w*|essay|blog posts?)\b/,
    ambiguous: /\b(?:guides?|copy|posts?)\b/,
    context:
      /\b(?:onboarding|user|style|setup|install\w*|migration|developer|api|docs?|product|marketing|landing|website|blog|linkedin|social)\b/,
  },
  {
    capability: "data",
    pattern:
      /\b(?:extract\w*|etl|ingest\w*|scrap(?:e|es|ed|ing|er|ers)|pars(?:e|ing)|data|datasets?|csv|backfill\w*|dedup\w*)\b/,
    ambiguous: /\b(?:clean\w*|transform\w*|import\w*|export\w*|records)\b/,
    context: DATA,
  },
  {
    capability: "design",
    pattern: /\b(?:mockups?|wireframes?|ui|ux|prototyp\w*|logo|figma)\b/,
    ambiguous: /\b(?:design\w*|architect\w*)\b/,
    context:
      /\b(?:databases?|schemas?|apis?|page|app|interface|website|system|service|screens?|components?)\b/,
  },
  {
    capability: "review",
    pattern: /\b(?:review\w*|audit\w*|approv\w*|opinions?|votes?|voting|consensus|experts?|feedback)\b/,
  },
  {
    capability: "translation",
    pattern: /\b(?:translat\w*|locali[sz]\w*)\b/,
    ambiguous: /\b(?:languages?)\b/,
    context: /\b(?:docs?|documentation|app|ui|website|strings|content|copy|subtitles)\b/,
  },
  {
    capability: "ml",
    pattern: /\b(?:machine learning|ml|fine-tun\w*|embeddings?|llms?|neural|classifiers?|hyperparameters?)\b/,
    ambiguous: /\b(?:train(?:ing)?|models?|inference)\b/,
    context:
      /\b(?:datasets?|data|epochs?|weights|accuracy|gpu|features|labels?|labelled|validation|checkpoints?|churn)\b/,
  },
  {
    capability: "communication",
    pattern: /\b(?:emails?|e-mail|notify|notif\w*|announc\w*|slack|communicat\w*)\b/,
    ambiguous: /\b(?:stakeholders?|customers)\b/,
    context: /\b(?:tell|inform|update|contact|message|write to|reach out|call)\b/,
  },
  {
    capability: "monitoring",
    pattern: /\b(?:monitor\w*|alert\w*|observability|logging|dashboards?|uptime)\b/,
  },
];

/** The first match of `pattern` in `text` (from its start, whatever its flags). */
function firstMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  return pattern.exec(text);
}

/** Where a rule first matches `lower`, or -1. */
function matchAt(rule: CapabilityRule, lower: string): number {
  const strong = lower.search(rule.pattern);
  if (rule.ambiguous === undefined) return strong;
  const first = firstMatch(rule.ambiguous, lower);
  if (first === null) return strong;
  // Context outside the ambiguous words themselves ("test" is not its own context).
  const flags = rule.ambiguous.flags.includes("g") ? rule.ambiguous.flags : `${rule.ambiguous.flags}g`;
  const around = lower.replace(new RegExp(rule.ambiguous.source, flags), " ");
  let counts = rule.context !== undefined && firstMatch(rule.context, around) !== null;
  // Or a second, different ambiguous word: "promote the release".
  let rest = lower.slice(first.index + Math.max(first[0].length, 1));
  while (!counts) {
    const next = firstMatch(rule.ambiguous, rest);
    if (next === null) break;
    counts = next[0] !== first[0];
    rest = rest.slice(next.index + Math.max(next[0].length, 1));
  }
  if (!counts) return strong;
  return strong < 0 ? first.index : Math.min(strong, first.index);
}

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
    const at = matchAt(rule, lower);
    if (at >= 0 && !hits.some((h) => h.capability === rule.capability))
      hits.push({ capability: rule.capability, at, order });
  }
  hits.sort((a, b) => a.at - b.at || a.order - b.order);
  return hits.slice(0, Math.max(0, limit)).map((h) => h.capability);
}
