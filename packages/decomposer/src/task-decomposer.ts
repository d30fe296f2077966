import { CoreErrorCode, EchelonError, type Plan, type TaskSpec } from "@echelon/core";
import {
  type DecomposeOptions,
  type Decomposer,
  specToPlan,
  throwIfAborted,
  validateTaskSpec,
} from "@echelon/core/plugin";
import { LRUCache } from "lru-cache";
import { buildSpec } from "./build-spec.js";
import { checkMaxDepth } from "./complexity.js";
import { DecomposerErrorCode } from "./errors.js";
import {
  type ResolvedDecomposerOptions,
  resolveDecomposerOptions,
  type TaskDecomposerOptions,
} from "./options.js";
import { parseOutline } from "./outline.js";
import { patternForSpec } from "./patterns.js";
import { fitShape } from "./shape.js";

/**
 * The heuristic decomposer: breaks a task description into the work it names, offline and
 * deterministically — enumerations, lists, ordering words, quantities, consensus questions and
 * transactional steps (rules in the README) — and picks a coordination pattern per composite
 * node among the registered ones. Plans are cached (LRU) by text and options.
 *
 * @example
 * ```ts
 * const decomposer = new TaskDecomposer();
 * const plan = decomposer.decompose(
 *   "Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime",
 *   { maxDepth: 3, patterns: ["saga", "mapreduce", "fork-join", "pipeline", "scatter-gather"] },
 * );
 * plan.root.pattern; // "saga"
 * plan.root.children.map((c) => c.description); // ["Migrate 50 microservices", "Migrate 100 databases", "Migrate 500 API endpoints"]
 * ```
 */
export class TaskDecomposer implements Decomposer {
  /** Recorded as the plan's `source`. */
  readonly name = "heuristic";
  private readonly options: ResolvedDecomposerOptions;
  private readonly cache: LRUCache<string, Plan> | null;

  /**
   * @param options - fan-out bounds, capability inference, cache size
   * @throws EchelonError `ECHELON_CONFIG_INVALID` naming a bad option
   */
  constructor(options: TaskDecomposerOptions = {}) {
    this.options = resolveDecomposerOptions(options);
    this.cache =
      this.options.cacheSize > 0 ? new LRUCache<string, Plan>({ max: this.options.cacheSize }) : null;
  }

  /**
   * Decomposes a task. A text is parsed into its structure; a TaskSpec with children is kept as
   * written (composite tasks without a pattern get one by shape); a TaskSpec without children
   * has its description decomposed and keeps its own fields on the root.
   *
   * @param task - a description or a TaskSpec
   * @param options - `maxDepth`, registered `patterns`, an optional forced `pattern`, a `signal`
   * @returns a validated, frozen plan no deeper than `maxDepth`
   * @throws EchelonError `ECHELON_SPEC_INVALID` (empty text, bad spec), `ECHELON_SPEC_TOO_DEEP`,
   *   `ECHELON_PATTERN_UNKNOWN` (a forced or spec pattern that is not registered),
   *   `ECHELON_DECOMPOSER_TEXT_TOO_LONG`, `ECHELON_CONFIG_INVALID` (bad `maxDepth`), `ECHELON_CANCELLED`
   */
  decompose(task: string | TaskSpec, options: DecomposeOptions): Plan {
    throwIfAborted(options.signal, "The decomposition");
    const maxDepth = checkMaxDepth(options.maxDepth);
    const patterns = Array.isArray(options.patterns) ? options.patterns : null;
    const offered = Array.isArray(options.capabilities) ? new Set<string>(options.capabilities) : null;
    if (typeof task !== "string")
      return this.decomposeSpec(task, maxDepth, patterns, options.pattern, offered);
    const key = `${maxDepth}\u0000${options.pattern ?? ""}\u0000${patterns?.join("\u0001") ?? "*"}\u0000${offered === null ? "*" : [...offered].join("\u0001")}\u0000${task}`;
    const cached = this.cache?.get(key);
    if (cached !== undefined) return cached;
    const plan = this.decomposeText(task, maxDepth, patterns, options.pattern, undefined, offered);
    this.cache?.set(key, plan);
    return plan;
  }

  private decomposeText(
    text: string,
    maxDepth: number,
    patterns: readonly string[] | null,
    forced?: string,
    root?: TaskSpec,
    offered: ReadonlySet<string> | null = null,
  ): Plan {
    if (text.trim().length === 0) {
      throw new EchelonError(CoreErrorCode.SPEC_INVALID, "The task text is empty. Describe the work to do.", {
        details: { issues: [{ path: "description", message: "must not be empty" }] },
      });
    }
    if (text.length > this.options.maxTextLength) {
      throw new EchelonError(
        DecomposerErrorCode.TEXT_TOO_LONG,
        `The task text has ${text.length} characters, more than maxTextLength ${this.options.maxTextLength}. Split it into a TaskSpec or raise maxTextLength.`,
        { details: { length: text.length, maxTextLength: this.options.maxTextLength } },
      );
    }
    const outline = parseOutline(text, this.options);
    const registered = patterns === null ? null : new Set(patterns);
    // Nothing can coordinate subtasks: the task stays one atomic leaf.
    const budget = registered !== null && registered.size === 0 && forced === undefined ? 0 : maxDepth;
    const shape = fitShape(outline, budget, this.options, this.options.maxNodes);
    const eager = this.options.eagerLevels;
    const spec = buildSpec(outline, text.trim(), budget, root?.priority ?? 0, {
      ...this.options,
      ...shape,
      registered,
      forced,
      lazyAtBudget: eager === null || eager >= budget ? null : budget - eager,
    });
    const inferred = offered === null ? spec : keepOfferedCapabilities(spec, offered);
    const merged: TaskSpec = root === undefined ? inferred : mergeRoot(inferred, root);
    return specToPlan(merged, {
      maxDepth,
      ...(patterns === null ? {} : { patterns }),
      source: this.name,
      maxNodes: Math.max(this.options.maxNodes, 1) * 2,
    });
  }

  private decomposeSpec(
    task: TaskSpec,
    maxDepth: number,
    patterns: readonly string[] | null,
    forced?: string,
    offered: ReadonlySet<string> | null = null,
  ): Plan {
    const registered = patterns === null ? null : new Set(patterns);
    const structured =
      typeof task === "object" &&
      task !== null &&
      ((Array.isArray(task.children) && task.children.length > 0) ||
        task.compensate !== undefined ||
        // Its children are made at run time: the spec has its structure already.
        task.expand !== undefined);
    if (!structured) {
      const checked = validateTaskSpec(task, { maxDepth, ...(patterns === null ? {} : { patterns }) });
      return this.decomposeText(checked.description, maxDepth, patterns, forced, checked, offered);
    }
    // A tree as written: specToPlan validates it once (validating it first as well would
    // double the work and the garbage on a 100,000-node spec).
    return specToPlan(task, {
      maxDepth,
      ...(patterns === null ? {} : { patterns }),
      choosePattern: (node) => patternForSpec(node, registered, forced),
      source: this.name,
    });
  }

  /** Empties the plan cache. */
  clearCache(): void {
    this.cache?.clear();
  }
}

/**
 * Keeps on each task only the inferred capabilities some registered agent offers (the
 * orchestrator passes what its agent types offer), so a plan never asks for a capability nobody
 * can serve just because a word in the text suggested it. The others stay visible in
 * `metadata.unofferedCapabilities` (what `echelon plan` marks "no agent offers").
 */
function keepOfferedCapabilities(spec: TaskSpec, offered: ReadonlySet<string>): TaskSpec {
  const visit = (node: TaskSpec): TaskSpec => {
    const { capabilities: inferred, ...rest } = node;
    const kept = inferred?.filter((c) => offered.has(c)) ?? [];
    const unoffered = inferred?.filter((c) => !offered.has(c)) ?? [];
    return {
      ...rest,
      ...(kept.length > 0 ? { capabilities: kept } : {}),
      ...(unoffered.length > 0 ? { metadata: { ...node.metadata, unofferedCapabilities: unoffered } } : {}),
      ...(node.children === undefined ? {} : { children: node.children.map(visit) }),
      ...(node.compensate === undefined ? {} : { compensate: visit(node.compensate) }),
    };
  };
  return visit(spec);
}

/** A decomposed tree under a caller's leaf spec: the spec's own fields win on the root. */
function mergeRoot(spec: TaskSpec, root: TaskSpec): TaskSpec {
  const metadata = spec.metadata === undefined ? root.metadata : { ...spec.metadata, ...root.metadata };
  return {
    ...spec,
    ...root,
    ...(root.capabilities === undefined && spec.capabilities !== undefined
      ? { capabilities: spec.capabilities }
      : {}),
    ...(root.priority === undefined && spec.priority !== undefined ? { priority: spec.priority } : {}),
    ...(metadata === undefined ? {} : { metadata }),
    ...(spec.children === undefined ? {} : { children: spec.children, pattern: spec.pattern }),
  };
}
