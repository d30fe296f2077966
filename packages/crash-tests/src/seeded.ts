/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence
 * on every machine, so a seeded sweep is reproducible from the seed it prints.
 *
 * @param seed - any 32-bit integer
 * @returns a function giving numbers in [0, 1)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` distinct kill points drawn from 1..`n` with a seeded generator, in ascending order
 * (all of 1..n when `count` ≥ n).
 *
 * @example seededKills(12345, 4066, 50) // the same 50 writes on every run
 */
export function seededKills(seed: number, n: number, count: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i + 1);
  const random = mulberry32(seed);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(1 + Math.floor(random() * n));
  return [...picked].sort((a, b) => a - b);
}
