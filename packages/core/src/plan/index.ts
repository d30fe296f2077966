/**
 * Plan schema and validation: TaskSpec trees and Plan objects are checked node by node
 * (iteratively, so no input can overflow the stack) and turned into frozen plans.
 *
 * @module
 */
export { complexityForHeight } from "./complexity.js";
export { formatSpecIssues, type SpecIssue } from "./issues.js";
export { DEFAULT_MAX_NODES, MAX_PLAN_DEPTH, type PlanBuildOptions } from "./options.js";
export { specToPlan, validateTaskSpec } from "./spec.js";
export { validatePlan } from "./validate-plan.js";
export { walkPlan } from "./walk.js";
