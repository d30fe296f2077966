/** Version of `@echelon/agents-llm`, recorded by its plugins. */
export const VERSION = "0.1.0";
