/** Version of `@echelon/agents-process`, reported as the plugin's version. */
export const VERSION = "0.1.0";
