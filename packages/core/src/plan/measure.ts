import { isPlainObject } from "./json-value.js";
import { type Subject, specInvalid, tooDeep } from "./plan-errors.js";
import { indexPath, keyPath } from "./paths.js";

interface Frame {
  readonly node: unknown;
  readonly depth: number;
  readonly parent: Frame | null;
  readonly index: number;
}

/** The issue path of a frame (`children[2].children[0]`), built from its ancestors. */
function pathOf(frame: Frame, base: string): string {
  const indices: number[] = [];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) indices.push(f.index);
  let path = base;
  for (let i = indices.length - 1; i >= 0; i--) path = indexPath(keyPath(path, "children"), indices[i]!);
  return path;
}

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
  // Issue paths are built only for an error: a frame keeps its parent frame and its index.
  const stack: Frame[] = [{ node: root, depth: 0, parent: null, index: -1 }];
  let count = 0;
  const tooMany = (path: string) =>
    specInvalid(subject, [
      {
        path,
        message: `the ${subject} has more than maxNodes (${maxNodes}) tasks; split it or raise maxNodes`,
      },
    ]);
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { node, depth } = frame;
    if (depth > maxDepth) throw tooDeep(subject, maxDepth, depth, pathOf(frame, base));
    count += 1;
    if (!isPlainObject(node)) continue;
    const children = node.children;
    if (!Array.isArray(children) || children.length === 0) continue;
    if (count + stack.length + children.length > maxNodes) {
      throw tooMany(keyPath(pathOf(frame, base), "children"));
    }
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i], depth: depth + 1, parent: frame, index: i });
    }
  }
}
