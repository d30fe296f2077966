import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Reads the package's LICENSE file (LICENSE, LICENCE, LICENSE.md, …), or `null`. */
export async function readLicenceFile(dir: string): Promise<string | null> {
  const name = (await readdir(dir)).filter((n) => /^licen[cs]e(\.(md|txt))?$/i.test(n)).sort()[0];
  return name === undefined ? null : readFile(join(dir, name), "utf8");
}

/** Analyser 1: what the package's manifest declares. */
export async function manifestAnalyser(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { license?: unknown };
  return typeof manifest.license === "string" ? manifest.license.replace(/^\((.*)\)$/, "$1") : "unknown";
}

const TITLES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bMIT License\b|^\s*\(?The MIT License/im, "MIT"],
  [/Apache License[\s\S]{0,40}Version 2\.0/i, "Apache-2.0"],
  [/\bISC License\b/i, "ISC"],
  [/BSD[ -]3-Clause/i, "BSD-3-Clause"],
  [/BSD[ -]2-Clause/i, "BSD-2-Clause"],
  [/Blue Oak Model License/i, "BlueOak-1.0.0"],
  [/Mozilla Public License,? (Version|v\.?) ?2\.0/i, "MPL-2.0"],
];

/** Analyser 2: the licence's title, from the first lines of the LICENSE file. */
export async function titleAnalyser(dir: string): Promise<string> {
  const text = await readLicenceFile(dir);
  if (text === null) return "unknown";
  const head = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(0, 4)
    .join("\n");
  return TITLES.find(([re]) => re.test(head))?.[1] ?? "unknown";
}

/** Analyser 3: distinctive phrases of the licence's body (whitespace-normalised). */
export async function phraseAnalyser(dir: string): Promise<string> {
  const raw = await readLicenceFile(dir);
  if (raw === null) return "unknown";
  const text = raw.replace(/\s+/g, " ");
  if (text.includes("Permission is hereby granted, free of charge")) return "MIT";
  if (/Permission to use, copy, modify, and\/or distribute this software for any purpose/.test(text)) {
    return /above copyright notice and this permission notice appear/.test(text) ? "ISC" : "0BSD";
  }
  if (text.includes("Redistribution and use in source and binary forms")) {
    return /Neither the name/i.test(text) ? "BSD-3-Clause" : "BSD-2-Clause";
  }
  if (/Apache License,? Version 2\.0/i.test(text)) return "Apache-2.0";
  if (text.includes("Mozilla Public License Version 2.0")) return "MPL-2.0";
  if (text.includes("Blue Oak Model License")) return "BlueOak-1.0.0";
  return "unknown";
}
