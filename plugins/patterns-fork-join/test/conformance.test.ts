import { describePatternConformance } from "@echelon/testing";
import { forkJoinPattern } from "../src/index.js";

// Independent children.
describePatternConformance(() => forkJoinPattern());

// A diamond DAG with outputs passed to dependents.
describePatternConformance(() => forkJoinPattern({ passOutputs: true }), {
  slices: [
    { sliceId: "s1", content: 1 },
    { sliceId: "s2", content: 2, dependencies: ["s1"] },
    { sliceId: "s3", content: 3, dependencies: ["s1"] },
    { sliceId: "s4", content: 4, dependencies: ["s2", "s3"] },
  ],
});
