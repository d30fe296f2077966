import "reflect-metadata";
import { type DependencyContainer, container as tsyringeRoot } from "tsyringe";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Token } from "./token.js";

/** Options of a single-slot binding. */
export interface BindOptions {
  /** Replace an existing binding in this container on purpose. */
  readonly override?: boolean;
}

/**
 * An isolated DI world: a tsyringe child container behind typed tokens. Every orchestrator
 * owns one, so two orchestrators with different plugins share nothing. The tsyringe global
 * container is never written to.
 */
export class EchelonContainer {
  private readonly inner: DependencyContainer;

  /** @param parent - a container to inherit bindings from; a fresh root world when absent */
  constructor(parent?: EchelonContainer) {
    this.inner = (parent?.inner ?? tsyringeRoot).createChildContainer();
  }

  /**
   * Binds a single-slot token.
   *
   * @throws EchelonError `ECHELON_DI_DUPLICATE_BINDING` when already bound here without `override`;
   *   `ECHELON_DI_TOKEN_KIND` for a many-per-token token
   */
  bind<T>(token: Token<T>, value: T, options: BindOptions = {}): void {
    if (token.multi) {
      throw new EchelonError(
        CoreErrorCode.DI_TOKEN_KIND,
        `Token "${token.name}" is many-per-token; use add() instead of bind().`,
        { details: { token: token.name } },
      );
    }
    if (this.inner.isRegistered(token.key, false) && options.override !== true) {
      throw new EchelonError(
        CoreErrorCode.DI_DUPLICATE_BINDING,
        `Token "${token.name}" is already bound in this container. Pass { override: true } to replace it on purpose.`,
        { details: { token: token.name } },
      );
    }
    this.inner.register(token.key, { useValue: value });
  }

  /**
   * Adds one registration to a many-per-token token.
   *
   * @throws EchelonError `ECHELON_DI_TOKEN_KIND` for a single-slot token
   */
  add<T>(token: Token<T>, value: T): void {
    if (!token.multi) {
      throw new EchelonError(
        CoreErrorCode.DI_TOKEN_KIND,
        `Token "${token.name}" is single-slot; use bind() instead of add().`,
        { details: { token: token.name } },
      );
    }
    this.inner.register(token.key, { useValue: value });
  }

  /** True when the token is bound here or in a parent. */
  has<T>(token: Token<T>): boolean {
    return this.inner.isRegistered(token.key, true);
  }

  /**
   * Resolves a single-slot token.
   *
   * @throws EchelonError `ECHELON_DI_UNBOUND_TOKEN` when nothing is bound
   */
  get<T>(token: Token<T>): T {
    if (!this.has(token)) {
      throw new EchelonError(
        CoreErrorCode.DI_UNBOUND_TOKEN,
        `Nothing is bound to "${token.name}". Install the plugin that provides it.`,
        { details: { token: token.name } },
      );
    }
    return this.inner.resolve<T>(token.key);
  }

  /** Resolves a single-slot token, or `undefined` when unbound. */
  tryGet<T>(token: Token<T>): T | undefined {
    return this.has(token) ? this.inner.resolve<T>(token.key) : undefined;
  }

  /** All registrations of a multi token, in registration order (empty when none). */
  getAll<T>(token: Token<T>): T[] {
    return this.has(token) ? this.inner.resolveAll<T>(token.key) : [];
  }

  /** A child world that inherits this one's bindings. */
  createChild(): EchelonContainer {
    return new EchelonContainer(this);
  }
}
