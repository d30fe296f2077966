/**
 * A binary heap of child indices: highest priority first, then lowest index (declaration
 * order). Lets a fork-join over many children pick the next ready child in O(log n).
 */
export class ReadyQueue {
  private readonly heap: number[] = [];

  /** @param priorityOf - the priority of a child index */
  constructor(private readonly priorityOf: (index: number) => number) {}

  get size(): number {
    return this.heap.length;
  }

  push(index: number): void {
    const heap = this.heap;
    heap.push(index);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): number | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < heap.length && this.before(heap[l]!, heap[best]!)) best = l;
        if (r < heap.length && this.before(heap[r]!, heap[best]!)) best = r;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const pa = this.priorityOf(a);
    const pb = this.priorityOf(b);
    return pa !== pb ? pa > pb : a < b;
  }
}
