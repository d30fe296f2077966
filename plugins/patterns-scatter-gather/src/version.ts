/** Version of `@echelon/patterns-scatter-gather` (kept equal to package.json). */
export const VERSION = "0.1.0";
