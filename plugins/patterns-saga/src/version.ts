/** Version of `@echelon/patterns-saga` (kept equal to package.json). */
export const VERSION = "0.1.0";
