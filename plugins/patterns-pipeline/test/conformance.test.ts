import { describePatternConformance } from "@echelon/testing";
import { pipelinePattern } from "../src/index.js";

describePatternConformance(() => pipelinePattern());
describePatternConformance(() => pipelinePattern({ defaults: { streaming: true, bufferSize: 1 } }), {
  input: [1, 2, 3, 4, 5],
});
