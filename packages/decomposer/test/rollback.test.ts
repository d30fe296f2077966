import { describe, expect, it } from "vitest";
import { TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS } from "./helpers.js";

const decomposer = new TaskDecomposer();
const decompose = (text: string, patterns: readonly string[] = ALL_PATTERNS) =>
  decomposer.decompose(text, { maxDepth: 3, patterns });

describe("conditional rollbacks", () => {
  it("become the compensation of the step they undo, in a saga, not a forward step", () => {
    const plan = decompose("Deploy the api to staging, run smoke tests, roll back if they fail");
    expect(plan.root.pattern).toBe("saga");
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Deploy the api to staging",
      "Run smoke tests",
    ]);
    const deploy = plan.root.children[0]!;
    expect(deploy.compensate?.description).toBe("Roll back the deployment of the api to staging");
    expect(deploy.compensate?.metadata).toEqual({
      compensates: "deploy-the-api-to-staging",
      condition: "if they fail",
    });
  });

  it("undo the step their object names, and keep the user's words when they name it", () => {
    const plan = decompose(
      "Charge the card, reserve the seats and refund the charge if the reservation fails",
    );
    expect(plan.root.children.map((c) => c.description)).toEqual(["Charge the card", "Reserve the seats"]);
    expect(plan.root.children.map((c) => c.compensate?.description)).toEqual([
      "Refund the charge",
      "Release the reservation of the seats",
    ]);
  });

  it("read a leading condition too ('if the tests fail, roll back the release')", () => {
    const plan = decompose(
      "Release version 2 to production. Run the e2e tests. If they fail, roll back the release.",
    );
    expect(plan.root.pattern).toBe("saga");
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Release version 2 to production",
      "Run the e2e tests",
    ]);
    expect(plan.root.children[0]!.compensate?.description).toBe("Roll back the release");
  });

  it("are kept as a note when no saga is registered to run them", () => {
    const plan = decompose("Deploy the api to staging, run smoke tests, roll back if they fail", [
      "pipeline",
    ]);
    expect(plan.root.pattern).toBe("pipeline");
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Deploy the api to staging",
      "Run smoke tests",
    ]);
    expect(plan.root.metadata.notes).toEqual(["roll back if they fail (needs the saga pattern)"]);
  });

  it("words compensations of prepositional steps without a dangling 'of'", () => {
    const plan = decompose("Deploy to staging, then run smoke tests, then migrate to the new cluster");
    expect(plan.root.children.map((c) => c.compensate?.description)).toEqual([
      "Roll back the deployment to staging",
      "Clean up after running smoke tests",
      "Revert the migration to the new cluster",
    ]);
  });
});
