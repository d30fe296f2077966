import { describePatternConformance } from "@echelon/testing";
import { hedgedPattern } from "../src/index.js";

describePatternConformance(() => hedgedPattern({ hedgeAfterMs: 5 }));
describePatternConformance(() => hedgedPattern({ hedgeAfterMs: 0, maxHedges: 2 }));
