import { describePatternConformance } from "@echelon/testing";
import { sagaPattern } from "../src/index.js";

// Steps without compensations (recorded as notCompensable on failure).
describePatternConformance(() => sagaPattern({ compensationRetry: { attempts: 1, backoffMs: 0 } }));

// Steps with compensating tasks.
describePatternConformance(() => sagaPattern({ compensationRetry: { attempts: 1, backoffMs: 0 } }), {
  slices: [1, 2, 3].map((n) => ({ sliceId: `step${n}`, content: n, metadata: { compensate: `undo-${n}` } })),
});
