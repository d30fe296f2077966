const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends an object key to an issue path: `children[2]` + `dependsOn` → `children[2].dependsOn`.
 * Keys that are not identifiers are quoted: `input["a b"]`. The root path is `""`.
 *
 * @internal
 */
export function keyPath(base: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === "" ? key : `${base}.${key}`;
}

/**
 * Appends an array index to an issue path: `children` + 2 → `children[2]`.
 *
 * @internal
 */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/**
 * Appends a zod issue path (keys and indices) to an issue path.
 *
 * @internal
 */
export function appendPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    path = typeof segment === "number" ? indexPath(path, segment) : keyPath(path, String(segment));
  }
  return path;
}

/** How a path is shown in messages: the root path `""` reads `(root)`. @internal */
export function displayPath(path: string): string {
  return path === "" ? "(root)" : path;
}
