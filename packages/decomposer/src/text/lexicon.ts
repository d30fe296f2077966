/**
 * Word lists and patterns behind the heuristic rules (documented in the README's rule table).
 * All patterns are linear (no nested quantifiers) and matched against lower-cased text.
 *
 * @internal
 */

/** "in parallel / independently …": the children may run at once, even distinct actions. */
export const PARALLEL =
  /\b(?:in parallel|parallel(?:ly|ized)?|independently|concurrently|simultaneously|at the same time)\b/;

/** "each / every / all": the items of one action may run at once (ignored between distinct actions). */
export const EACH = /\b(?:each|every|all)\b/;

/** Phrases that only say "at once"; removed from the items they would otherwise stick to. */
export const PARALLEL_PHRASES =
  /\s*,?\s*\b(?:in parallel|parallelly|independently|concurrently|simultaneously|at the same time)\b/g;

/** Results are combined: map-reduce rather than fork-join. */
export const AGGREGATION =
  /\b(?:aggregat\w*|summari[sz]\w*|combin\w*|merg\w*|total\w*|count\w*|statistics|average\w*|consolidat\w*|collect\w*|compil\w*|tally|reduc\w*)\b/;

/** A step that starts with one of these verbs changes state that must be undone on failure (saga). */
export const TRANSACTIONAL_VERB =
  /^(?:deploy|migrate|promote|transfer|provision|roll ?back|rollback|roll out|cut ?over|fail ?over|charge|refund|book|reserve|withdraw|debit)\b/;

/** A step that mentions one of these is transactional too. */
export const TRANSACTIONAL_NOUN = /\b(?:migrations|payments?|transactions?|rollbacks?|deployments?)\b/;

/** Nouns that ask for several independent opinions (scatter-gather). */
export const CONSENSUS_NOUNS =
  /\b(?:opinions?|experts?|consensus|votes?|voting|voters?|reviewers?|panel(?:ists)?|poll|jury|judges?|second opinion|peer review)\b/;

/** A clause that starts with "review" or asks for reviews or feedback. */
export const REVIEW_VERB =
  /^(?:review|peer-review|get \w+ reviews?|gather (?:reviews|feedback)|collect (?:reviews|feedback))\b/;

/** Explicit priority words, most urgent first. */
export const PRIORITY_RULES: readonly (readonly [RegExp, number])[] = [
  [/\b(?:urgent\w*|asap|critical|emergency|immediately|hotfix|outage|blocker|p0|sev-?1)\b/, 2],
  [/\b(?:high[- ]priority|important|p1|sev-?2|security)\b/, 1],
  [/\b(?:low[- ]priority|nice[- ]to[- ]have|eventually|when possible|someday|p3|backlog)\b/, -1],
];

/** Requirements on the whole task rather than work items ("zero downtime"). */
export const CONSTRAINT =
  /^(?:(?:with |with no |without |no |zero |minimal |minimum )(?:downtime|data loss|outage|interruption|regressions?)|backwards?[- ]compatib\w*|(?:fully |100% )?reversible|gdpr[- ]compliant|within (?:budget|\d+ \w+)|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|end of \w+|eod|eow)|under budget|on budget|on time)$/;

/** Number words recognised in quantities ("five reviewers"). */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12],
  ["twenty", 20],
  ["fifty", 50],
  ["hundred", 100],
  ["dozen", 12],
]);

/** Units that measure rather than count work (no fan-out over "3 weeks"). */
export const MEASURE_UNITS: ReadonlySet<string> = new Set(
  `ms millisecond milliseconds second seconds sec secs minute minutes min mins hour hours hr hrs day days week weeks
night nights month months year years quarter quarters percent pct times x kb mb gb tb pb kib mib gib bytes bits dollars usd eur euros
pounds gbp cents km miles meters metres kg lbs degrees points pts fps rps qps rpm k m bn am pm`.split(/\s+/),
);

/** Words before a number that make it a label, not a quantity ("top 10", "version 2"). */
export const LABEL_WORDS: ReadonlySet<string> = new Set(
  `top first last best worst version v step phase issue bug pr ticket p sev level page chapter section item number no
iteration sprint release python java node ipv http windows ios android macos es ecmascript rfc iso gen`.split(
    /\s+/,
  ),
);

/** Vague quantities and the word that introduces them. */
export const VAGUE =
  /\b(?:multiple|several|various|many|numerous|a few|a number of|different)\s+([a-z][\w-]*s)\b/;

/** Inverse actions for compensating steps: verb → template (`$` is the rest of the step). */
export const INVERSES: ReadonlyMap<string, string> = new Map([
  ["deploy", "Roll back the deployment of $"],
  ["migrate", "Revert the migration of $"],
  ["promote", "Demote $"],
  ["transfer", "Reverse the transfer of $"],
  ["provision", "Deprovision $"],
  ["create", "Delete $"],
  ["add", "Remove $"],
  ["install", "Uninstall $"],
  ["enable", "Disable $"],
  ["start", "Stop $"],
  ["open", "Close $"],
  ["book", "Cancel the booking of $"],
  ["reserve", "Release the reservation of $"],
  ["charge", "Refund $"],
  ["debit", "Credit back $"],
  ["credit", "Debit back $"],
  ["grant", "Revoke $"],
  ["allocate", "Release $"],
  ["lock", "Unlock $"],
  ["upload", "Delete the uploaded $"],
  ["publish", "Unpublish $"],
  ["release", "Withdraw the release of $"],
  ["register", "Deregister $"],
  ["subscribe", "Unsubscribe $"],
  ["scale", "Scale back $"],
  ["rollout", "Roll back the rollout of $"],
  ["update", "Restore the previous version of $"],
  ["upgrade", "Downgrade $"],
  ["ship", "Recall $"],
  ["launch", "Shut down $"],
  ["send", "Send a correction for $"],
  ["notify", "Send a correction to $"],
  ["import", "Remove the imported $"],
  ["backfill", "Remove the backfilled $"],
  ["move", "Move back $"],
  ["rename", "Restore the old name of $"],
  ["replace", "Restore the replaced $"],
  ["delete", "Restore $ from backup"],
  ["remove", "Restore $"],
  ["drop", "Restore $ from backup"],
  ["set", "Restore the previous setting of $"],
  ["setup", "Tear down $"],
  ["configure", "Restore the previous configuration of $"],
  ["build", "Discard the build of $"],
  ["run", "Clean up after running $"],
  ["test", "Clean up after testing $"],
]);
