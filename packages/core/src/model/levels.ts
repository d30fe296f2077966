const NAMED_LEVELS = [
  "primary",
  "secondary",
  "tertiary",
  "quaternary",
  "quinary",
  "senary",
  "septenary",
  "octonary",
  "nonary",
  "denary",
] as const;

/**
 * The name of the level at `index` (0 = primary). Beyond the tenth level names are `level-11`, ….
 *
 * @param index - zero-based level index
 * @returns the level's name
 */
export function levelName(index: number): string {
  return NAMED_LEVELS[index] ?? `level-${index + 1}`;
}

/**
 * The level names for a hierarchy of `maxDepth + 1` levels (depths 0..maxDepth).
 *
 * @param maxDepth - deepest node depth allowed (root = 0)
 * @returns level names, primary first
 */
export function levelNames(maxDepth: number): string[] {
  return Array.from({ length: maxDepth + 1 }, (_, i) => levelName(i));
}
