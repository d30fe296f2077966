/**
 * A typed DI token. Single-slot tokens hold one binding and refuse a silent second one;
 * multi tokens collect any number of registrations (patterns, strategies, agent types).
 */
export interface Token<T> {
  /** Unique key used with the container. */
  readonly key: symbol;
  /** Human-readable name, `@scope/package/Name`. */
  readonly name: string;
  /** True for many-per-token registrations. */
  readonly multi: boolean;
  /** Phantom field carrying the bound type; never set. */
  readonly __type?: T;
}

/**
 * Creates a typed token, once, in the owning package's `tokens.ts`.
 *
 * @param name - `@scope/package/Name`, used in error messages
 * @param options - `{ multi: true }` for many-per-token registrations
 * @returns the token
 * @example
 * ```ts
 * export const CACHE = createToken<Cache>("@acme/cache/Cache");
 * ```
 */
export function createToken<T>(name: string, options: { multi?: boolean } = {}): Token<T> {
  return Object.freeze({ key: Symbol.for(name), name, multi: options.multi === true });
}
