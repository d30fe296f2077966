import { describePatternConformance } from "@echelon/testing";
import { mapReducePattern } from "../src/index.js";

describePatternConformance(() => mapReducePattern());
describePatternConformance(() =>
  mapReducePattern({ defaults: { reducer: "sum", combiner: "sum", chunkSize: 2 } }),
);
