declare module "@echelon/core" {
  interface EchelonEventMap {
    /** A pipeline stage finished one input (the whole input in batch mode, one item when streaming). */
    "pipeline:stageCompleted": {
      /** Id of the stage child. */
      readonly stage: string;
      /** Position of the stage, 0-based. */
      readonly index: number;
      /** Item number when streaming, `null` in batch mode. */
      readonly item: number | null;
      /** Name of the in-process processor that ran the stage, `null` when an agent ran it. */
      readonly processor: string | null;
      /** Measured duration, milliseconds. */
      readonly durationMs: number;
    };
  }
}

export {};
