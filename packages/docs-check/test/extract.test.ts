import { describe, expect, it } from "vitest";
import { extractCodeBlocks } from "../src/index.js";

const page = [
  "# Title", //                                1
  "", //                                       2
  "```ts", //                                  3
  "const a: number = 1;", //                   4
  "```", //                                    5
  "", //                                       6
  "```sh", //                                  7
  "npm test", //                               8
  "```", //                                    9
  "", //                                      10
  "- a list item:", //                        11
  "", //                                      12
  "  ```typescript", //                       13
  "  const b = 2;", //                        14
  "  ```", //                                 15
  "", //                                      16
  "```js", //                                 17
  "const c = readFile;", //                   18
  "````", //                                  19 (a longer fence closes it too)
  "", //                                      20
  "```ts no-check continues the class above", // 21
  "  method() {}", //                         22
  "```", //                                   23
  "```ts no-check", //                        24
  "x", //                                     25
  "```", //                                   26
  "~~~javascript", //                         27
  "```", //                                   28 (not a closing fence: tildes opened it)
  "~~~", //                                   29
].join("\n");

describe("extractCodeBlocks", () => {
  const blocks = extractCodeBlocks(page, "docs/page.md");

  it("finds ts, typescript, js and javascript blocks, with the line of their first code line", () => {
    expect(blocks.map((b) => [b.line, b.language])).toEqual([
      [4, "ts"],
      [14, "ts"],
      [18, "js"],
      [22, "ts"],
      [25, "ts"],
      [28, "js"],
    ]);
    expect(blocks.every((b) => b.file === "docs/page.md")).toBe(true);
  });

  it("removes the fence's indentation and keeps the code as written", () => {
    expect(blocks[0]!.code).toBe("const a: number = 1;\n");
    expect(blocks[1]!.code).toBe("const b = 2;\n");
    expect(blocks[5]!.code).toBe("```\n");
  });

  it("reads the no-check marker and its reason; a bare marker has an empty reason", () => {
    expect(blocks.map((b) => b.skipReason)).toEqual([
      null,
      null,
      null,
      "continues the class above",
      "",
      null,
    ]);
  });

  it("ignores inline code that starts with three backticks", () => {
    expect(extractCodeBlocks("```ts const x = 1``` is inline\n", "a.md")).toEqual([]);
  });
});
