import { describe, expect, it } from "vitest";
import { checkLicence, parseLicenceList } from "../src/licence-policy.js";

const deny = (list: string) => ({ allow: [], deny: parseLicenceList(list, "--deny") });
const allow = (list: string) => ({ allow: parseLicenceList(list, "--allow"), deny: [] });

describe("licence policy", () => {
  it("passes an OR expression when one side avoids every denied licence", () => {
    expect(checkLicence("MIT OR GPL-3.0-only", deny("GPL-3.0-only")).status).toBe("allowed");
    expect(checkLicence("(GPL-3.0-only OR Apache-2.0)", deny("GPL-3.0-only")).status).toBe("allowed");
  });

  it("denies an AND expression when any part is denied, naming that part", () => {
    const check = checkLicence("MIT AND GPL-3.0-only", deny("GPL-3.0-only"));
    expect(check).toEqual({ status: "denied", reason: "denied: GPL-3.0-only" });
  });

  it("denies nested expressions only when no choice avoids a denied licence", () => {
    const policy = deny("GPL-3.0-only,AGPL-3.0-only");
    expect(checkLicence("MIT OR (Apache-2.0 AND GPL-3.0-only)", policy).status).toBe("allowed");
    expect(checkLicence("(MIT OR AGPL-3.0-only) AND GPL-3.0-only", policy).status).toBe("denied");
  });

  it("treats the deprecated and the -only forms of an id as the same licence", () => {
    expect(checkLicence("GPL-3.0", deny("GPL-3.0-only")).status).toBe("denied");
    expect(checkLicence("GPL-3.0-only", deny("GPL-3.0")).status).toBe("denied");
  });

  it("denies a licence with an exception when its licence is denied", () => {
    expect(checkLicence("GPL-2.0-only WITH Classpath-exception-2.0", deny("GPL-2.0-only")).status).toBe(
      "denied",
    );
    expect(checkLicence("Apache-2.0 WITH LLVM-exception", deny("GPL-2.0-only")).status).toBe("allowed");
  });

  it("denies an 'or later' licence when any version it admits is denied", () => {
    expect(checkLicence("GPL-2.0-or-later", deny("GPL-3.0-only")).status).toBe("denied");
    expect(checkLicence("GPL-3.0-only WITH GCC-exception-3.1", deny("GPL-3.0-only")).status).toBe("denied");
    expect(checkLicence("GPL-2.0-only", deny("GPL-3.0-only")).status).toBe("allowed");
  });

  it("with an allow list, passes only what allowed licences satisfy", () => {
    const policy = allow("MIT,Apache-2.0");
    expect(checkLicence("MIT OR GPL-3.0-only", policy).status).toBe("allowed");
    expect(checkLicence("MIT AND BSD-3-Clause", policy)).toEqual({
      status: "denied",
      reason: "not allowed: BSD-3-Clause",
    });
    expect(checkLicence("GPL-2.0-or-later", allow("GPL-3.0-only")).status).toBe("allowed");
  });

  it("lets deny win over allow", () => {
    const policy = {
      allow: parseLicenceList("MIT,GPL-3.0-only", "--allow"),
      deny: parseLicenceList("MIT", "--deny"),
    };
    expect(checkLicence("MIT OR GPL-3.0-only", policy).status).toBe("allowed");
    expect(checkLicence("MIT OR Apache-2.0", policy)).toEqual({
      status: "denied",
      reason: "denied: MIT; not allowed: Apache-2.0",
    });
  });

  it("reports a missing or non-SPDX licence as unknown, with the reason", () => {
    expect(checkLicence("UNKNOWN", deny("MIT"))).toEqual({
      status: "unknown",
      reason: "no licence declared",
    });
    expect(checkLicence("SEE LICENSE IN LICENSE.md", deny("MIT"))).toEqual({
      status: "unknown",
      reason: 'not an SPDX expression: "SEE LICENSE IN LICENSE.md"',
    });
  });

  it("refuses list entries that are not SPDX licence ids, suggesting the right one", () => {
    expect(() => parseLicenceList("GPL3", "--deny")).toThrow(
      /--deny: "GPL3" is not an SPDX licence id.*GPL-3.0-or-later/,
    );
    expect(() => parseLicenceList("MIT OR ISC", "--allow")).toThrow(/one licence per entry/);
    expect(() => parseLicenceList("MIT,,", "--allow")).toThrow(/empty/);
    expect(parseLicenceList(" MIT , Apache-2.0 WITH LLVM-exception", "--allow")).toEqual([
      "MIT",
      "Apache-2.0 WITH LLVM-exception",
    ]);
  });
});
