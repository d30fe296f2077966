export { type CatalogueEntry, collectErrorCodes, renderErrorCatalogue } from "./error-catalogue.js";
