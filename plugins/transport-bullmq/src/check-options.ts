import { EchelonError } from "@echelon/core";

/** One problem with an option. */
interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * Collects problems with options and throws them all at once, with their paths, as
 * `ECHELON_CONFIG_INVALID` (the same shape as core's option errors).
 */
export class OptionChecks {
  private readonly issues: Issue[] = [];

  /** @param what - the function whose options are checked (`remoteAgent`) */
  constructor(private readonly what: string) {}

  /** An integer in `[min, max]`, when given. */
  integer(path: string, value: unknown, min: number, max: number): this {
    if (value === undefined) return this;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.issues.push({ path, message: `must be an integer from ${min} to ${max}, got ${String(value)}` });
    }
    return this;
  }

  /** A non-empty string without `:` (BullMQ names), when given. */
  name(path: string, value: unknown): this {
    if (value === undefined) return this;
    if (typeof value !== "string" || value === "" || value.includes(":")) {
      this.issues.push({
        path,
        message: `must be a non-empty string without ":", got ${JSON.stringify(value)}`,
      });
    }
    return this;
  }

  /** A list of non-empty strings, when given (required when `required`). */
  strings(path: string, value: unknown, required = false): this {
    if (value === undefined && !required) return this;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) {
      this.issues.push({ path, message: "must be an array of non-empty strings" });
    }
    return this;
  }

  /** Any other condition. */
  require(ok: boolean, path: string, message: string): this {
    if (!ok) this.issues.push({ path, message });
    return this;
  }

  /**
   * Throws when a check failed.
   *
   * @throws EchelonError `ECHELON_CONFIG_INVALID` listing every problem (`details.issues`)
   */
  done(): void {
    if (this.issues.length === 0) return;
    throw new EchelonError(
      "ECHELON_CONFIG_INVALID",
      `Invalid ${this.what} options:\n${this.issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`,
      { details: { issues: this.issues } },
    );
  }
}
