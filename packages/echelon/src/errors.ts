/**
 * Error codes raised by the `echelon` package itself. Append-only; listed in `docs/errors.md`.
 */
export const EchelonPackageErrorCode = {
  /** `withPreset` was given a name that is not one of the presets. */
  UNKNOWN_PRESET: "ECHELON_PRESET_UNKNOWN",
} as const;

/** One of the `echelon` package's error codes. */
export type EchelonPackageErrorCode = (typeof EchelonPackageErrorCode)[keyof typeof EchelonPackageErrorCode];
