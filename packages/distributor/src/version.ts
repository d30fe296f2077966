/** The package version, recorded as the plugin's version. */
export const VERSION = "0.1.0";
