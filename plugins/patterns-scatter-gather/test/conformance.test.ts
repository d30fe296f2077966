import { describePatternConformance } from "@echelon/testing";
import { scatterGatherPattern } from "../src/index.js";

// Several children, one respondent each, gathered with "all".
describePatternConformance(() => scatterGatherPattern());

// One child broadcast to replicas and voted on.
describePatternConformance(() => scatterGatherPattern({ gather: "majority", replicas: 3 }), {
  slices: [{ sliceId: "question", content: { ask: "2+2" } }],
});
