import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { collectErrorCodes, renderErrorCatalogue } from "./error-catalogue.js";

const root = join(import.meta.dirname, "..", "..", "..");
writeFileSync(join(root, "docs", "errors.md"), renderErrorCatalogue(collectErrorCodes(root)));
