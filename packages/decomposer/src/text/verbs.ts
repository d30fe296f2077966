/**
 * Imperative verbs that start a unit of work ("Deploy …", "write …"). A clause that starts
 * with one of these (or its -ing form) is an action; other clauses are noun phrases that
 * borrow the verb of the action before them.
 *
 * @internal
 */
const VERBS =
  `accept achieve acquire add adjust adopt aggregate align allocate analyse analyze announce answer apply
approve archive arrange ask attend assess assign audit automate back backfill balance benchmark book brainstorm build
bump buy calculate call cancel capture categorise categorize change charge check choose classify clean cleanup clone
close collect combine commit communicate compare compile complete compose compress compute conduct configure
confirm connect consolidate contact containerize convert coordinate copy correct count crawl create credit cut
debit debug decide decommission decrypt define delete deliver deploy deprecate deprovision describe design detect
determine develop diagnose digitize disable discover distribute document download draft drop edit email enable
encrypt enforce enrich ensure estimate evaluate examine execute expand explain explore export expose extend
extract fetch file filter finalize finalise find fine-tune fix flag forecast format gather generate get grant
handle harden hire host identify implement import improve include index ingest inspect install instrument
integrate interview introduce investigate invite invoice issue label launch list load localise localize lock
log maintain make manage map mark measure merge migrate minify mirror model modernize monitor move negotiate
normalize notify obtain onboard open optimise optimize order organise organize outline package paginate parse
patch pay perform pick pin plan poll polish print purchase port post prepare present prioritise prioritize process procure
produce profile program promote proofread propose prototype provision prune publish pull purge push query rank
rate read rebuild receive reconcile record recruit redesign reduce refactor refund register reindex release rent
remove rename render reorganize repair replace replicate report reproduce request research reserve reset resize
resolve restore restructure retire retrain return reverse review revise revoke rewrite roll rotate route run
sanitize save sell scale scan schedule scrape search secure segment select send separate set setup ship shortlist
sign simulate sketch snapshot solve sort specify split spin stage standardise standardize start store stream
study submit subscribe summarise summarize supply support survey sync synchronise synchronize tag take test
tidy track train transcode transcribe transfer transform translate triage troubleshoot tune type uninstall
unlock unpublish update upgrade upload validate verify visualise visualize vote warm watch wire withdraw write
bake boil brew cook fry grill roast chop peel stir wash rinse scrub sweep mop dust vacuum wipe polish iron fold hang
tidy declutter water feed walk mow rake weed plant prune trim paint sand repair refill empty fill pack unpack wrap
decorate buy shop pay renew apply drive fly travel visit meet greet call text phone thank tell ask remind recommend
suggest have let keep give bring put go come leave stay sleep eat drink cancel confirm reschedule postpone attend
host celebrate invite rsvp crop compress resize convert rotate revert undo reboot restart drain cordon escalate
page annotate cite paraphrase edit translate transcribe narrate record film photograph shoot print sign scan
estimate assign hand follow group rank tally interview recruit hire onboard coach mentor train teach learn practice
read watch listen review approve reject submit apply fix`
    .split(/\s+/)
    .filter((v) => v.length > 0);

/** Base forms. @internal */
export const VERB_SET: ReadonlySet<string> = new Set(VERBS);

const VOWELS = "aeiou";

function gerund(verb: string): string {
  if (verb.endsWith("ie")) return `${verb.slice(0, -2)}ying`;
  if (verb.endsWith("e") && !verb.endsWith("ee") && verb.length > 2) return `${verb.slice(0, -1)}ing`;
  const n = verb.length;
  const cvc =
    n >= 3 &&
    n <= 4 &&
    !VOWELS.includes(verb[n - 1]!) &&
    !"wxy".includes(verb[n - 1]!) &&
    VOWELS.includes(verb[n - 2]!) &&
    !VOWELS.includes(verb[n - 3]!);
  return cvc ? `${verb}${verb[n - 1]}ing` : `${verb}ing`;
}

/** -ing form → base form, for the verbs above. @internal */
export const GERUNDS: ReadonlyMap<string, string> = new Map(VERBS.map((v) => [gerund(v), v]));

/**
 * The base verb a word stands for, when it is one of the known verbs or their -ing forms.
 *
 * @internal
 */
export function verbOf(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (VERB_SET.has(lower)) return lower;
  return GERUNDS.get(lower);
}

/** Verbs whose object is taken jointly ("compare A and B"), so an enumeration is not split. @internal */
export const JOINT_VERBS: ReadonlySet<string> = new Set([
  "compare",
  "merge",
  "combine",
  "reconcile",
  "sync",
  "synchronise",
  "synchronize",
  "connect",
  "align",
  "balance",
  "choose",
  "decide",
  "pick",
  "select",
]);

/** Verbs that are just as often nouns ("rate limiting", "test coverage", "order history"). @internal */
export const NOUN_LIKE_VERBS: ReadonlySet<string> = new Set(
  `book call change copy design export file import index issue list lock log map mark model order patch pin plan post
process rate record release report request review scan ship sign sort stage state stream support survey tag test type
update upgrade vote watch page text record film print call visit paint plant water walk iron dust feed host coach
practice phone trim empty fill drive shop pay stay drink meet edit group rank tally hand shoot escalate crop wrap
travel sand weed`.split(/\s+/),
);

/** Words that introduce the object of an imperative ("test *the* parser"). @internal */
export const OBJECT_STARTERS: ReadonlySet<string> = new Set(
  `the a an all each every our their its it them this these those my your his her new any some both that one`.split(
    /\s+/,
  ),
);

/** Closed-class words that never start an imperative, even before "the" ("including the attic"). */
const NOT_VERBS: ReadonlySet<string> = new Set(
  `the a an all each every our their its it them this these those my your his her any some both that one and or but
nor then so also plus only just even not including like especially mainly mostly maybe perhaps please for with to
into on in at of from via by about as than per before after over under across through within without between among
during until upon onto toward towards around is are was were be been being do does did will would should could can
may might must shall if when whether while because unless though although there here where why how what which who`.split(
    /\s+/,
  ),
);

/**
 * True when a clause starts with an imperative: a known verb (or its -ing form), or any other
 * open-class word followed by an object ("water *the* plants", "have *a* friend check it",
 * "recommend *one*") — a noun phrase never has a determiner as its second word.
 *
 * @param ws - the clause's words
 * @internal
 */
export function startsWithVerb(ws: readonly string[]): boolean {
  const first = ws[0];
  if (first === undefined) return false;
  if (verbOf(first) !== undefined) return true;
  const lower = first.toLowerCase();
  const next = ws[1]?.toLowerCase();
  return (
    next !== undefined &&
    OBJECT_STARTERS.has(next) &&
    /^[a-z][a-z-]*$/.test(lower) &&
    !NOT_VERBS.has(lower) &&
    !lower.endsWith("ly")
  );
}
