import { isPlainObject } from "./json-value.js";
import { type Subject, specInvalid, tooDeep } from "./plan-errors.js";
import { indexPath, keyPath } from "./paths.js";

/**
 * Walks the `children` arrays of a raw tree iteratively, before any schema runs, so that a
 * pathologically deep or wide input fails fast with a coded error instead of a stack overflow.
 *
 * @param root - the raw root node
 * @param base - issue path of the root (`""` for a spec, `"root"` for a plan)
 * @throws EchelonError `ECHELON_SPEC_TOO_DEEP` at the first node (in document order) deeper than
 *   `maxDepth`; `ECHELON_SPEC_INVALID` when there are more than `maxNodes` nodes
 * @internal
 */
export function measureTree(
  root: unknown,
  base: string,
  subject: Subject,
  maxDepth: number,
  maxNodes: number,
): void {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: root, depth: 0, path: base }];
  let count = 0;
  const tooMany = (path: string) =>
    specInvalid(subject, [
      {
        path,
        message: `the ${subject} has more than maxNodes (${maxNodes}) tasks; split it or raise maxNodes`,
      },
    ]);
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (depth > maxDepth) throw tooDeep(subject, maxDepth, depth, path);
    count += 1;
    if (!isPlainObject(node)) continue;
    const children = node.children;
    if (!Array.isArray(children) || children.length === 0) continue;
    const childrenPath = keyPath(path, "children");
    if (count + stack.length + children.length > maxNodes) throw tooMany(childrenPath);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i], depth: depth + 1, path: indexPath(childrenPath, i) });
    }
  }
}
