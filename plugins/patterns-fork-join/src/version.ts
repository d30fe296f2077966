/** Version of `@echelon/patterns-fork-join` (kept equal to package.json). */
export const VERSION = "0.1.0";
