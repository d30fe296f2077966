import { parseArgs } from "node:util";
import { availableLanguages, checkTranslations, DEFAULT_OUT } from "./run.js";

const { values } = parseArgs({
  options: { lang: { type: "string", multiple: true }, out: { type: "string" } },
});
const languages = values.lang ?? (await availableLanguages());
const result = await checkTranslations(languages, values.out ?? DEFAULT_OUT);
if (!result.success) {
  console.error(`failed: ${result.error?.code} ${result.errorMessage}`);
  process.exit(1);
}
for (const r of result.result as Array<{
  language: string;
  messages: number;
  issues: number;
  path: string;
}>) {
  console.log(
    `${r.language.padEnd(6)} ${String(r.messages).padStart(5)} messages, ${String(r.issues).padStart(3)} placeholder issues → ${r.path}`,
  );
}
console.log(
  `\n${result.metadata.patternsUsed.join(" + ")} over ${languages.length} languages: ${result.executionTime.toFixed(2)} s, ` +
    `${result.agentsUsed} agents, ${result.levelsDeep} levels, overhead ${result.coordinationOverhead.toFixed(1)} %`,
);
