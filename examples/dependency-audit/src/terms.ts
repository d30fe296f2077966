const STOPWORDS = new Set(
  (
    "the and for you your are can will use using not see also this that with from into have has had was were " +
    "been its it's all any one two more most some such than then them they their there these those what when " +
    "which who why how about after before other only same over under each per via both but our out own may " +
    "must should would could just like make made new get set non let var const function return require import " +
    "export default true false null undefined type types string number object value values options option " +
    "npm yarn pnpm install installation usage example examples license licence mit http https www com org " +
    "github git readme api docs documentation version file files module modules package packages code node " +
    "js json md true await async class method methods call called returns argument arguments param params " +
    "used uses name names first last way want need needs does done doing yes very well here where while " +
    "create created support supported instead etc because even many much every without within between"
  ).split(" "),
);

/**
 * The most frequent meaningful words of a text: lower-cased words of three or more letters,
 * minus stop words and code noise, ties broken alphabetically.
 *
 * @param text - e.g. a README
 * @param count - how many terms to return
 * @returns `[term, occurrences]` pairs, most frequent first
 */
export function topTerms(text: string, count = 5): Array<[string, number]> {
  const freq = new Map<string, number>();
  const withoutCode = text.replace(/```[\s\S]*?```/g, " ").replace(/`[^`]*`/g, " ");
  for (const match of withoutCode.toLowerCase().matchAll(/[a-z][a-z-]{2,}[a-z]/g)) {
    const word = match[0];
    if (STOPWORDS.has(word)) continue;
    freq.set(word, (freq.get(word) ?? 0) + 1);
  }
  return [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, count);
}
