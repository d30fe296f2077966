/**
 * A third-party Echelon pattern written from scratch: hedged requests.
 *
 * @packageDocumentation
 */
export { HedgeErrorCode } from "./errors.js";
export { type HedgeWin, hedgeOne } from "./hedge-one.js";
export { HedgedPattern } from "./hedged-pattern.js";
export type { HedgeOptions } from "./options.js";
export { hedgedPattern } from "./plugin.js";
