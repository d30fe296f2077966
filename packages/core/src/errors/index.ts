export { CoreErrorCode, type EchelonErrorCode } from "./codes.js";
export {
  EchelonError,
  type EchelonErrorJson,
  type EchelonErrorOptions,
  isEchelonError,
  toEchelonError,
} from "./echelon-error.js";
