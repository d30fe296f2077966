/** Minimal logger interface; inject your own (pino, console, …). Library code never uses `console`. */
export interface Logger {
  /**
   * Detail for diagnosing (per-decision facts). Must not throw.
   *
   * @param message - a short, constant sentence (`"agent dispose failed"`)
   * @param data - structured, JSON-serialisable facts (ids, paths, messages)
   */
  debug(message: string, data?: Readonly<Record<string, unknown>>): void;
  /** Notable but expected events; parameters as for {@link Logger.debug}. */
  info(message: string, data?: Readonly<Record<string, unknown>>): void;
  /** Something went wrong and was worked around (a dispose failed, a hook was skipped); parameters as for {@link Logger.debug}. */
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
  /** A failure the run reports (a journal write failed, a plugin hook threw); parameters as for {@link Logger.debug}. */
  error(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
