/** Version of `@echelon/transport-bullmq`, reported as the plugin's version and in job payloads. */
export const VERSION = "0.1.0";
