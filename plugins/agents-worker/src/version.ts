/** Version of `@echelon/agents-worker`, reported as the plugin's version. */
export const VERSION = "0.1.0";
