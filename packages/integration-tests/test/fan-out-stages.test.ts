import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createOrchestrator, functionAgent } from "echelon";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, taskCountSum, tempDir } from "./support/fan-out.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
afterEach(removeTempDirs);

describe("run-time fan-out in stages and steps with effects (echelon, real plugins)", () => {
  it("a Pipeline stage that fans out hands the next stage what its children made", async () => {
    const dir = await tempDir();
    const files = { "a.txt": "alpha", "b.txt": "bravo", "c.txt": "charlie" };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const orchestrator = createOrchestrator({
      agents: [
        functionAgent({ name: "lister", capabilities: ["list"] }, async (work) => ({
          files: (await readdir(String(work.input)))
            .sort()
            .map((name) => ({ name, path: join(String(work.input), name) })),
        })),
        functionAgent({ name: "hasher", capabilities: ["hash"], capacity: 3 }, async (work) =>
          sha(await readFile(String(work.input), "utf8")),
        ),
        functionAgent({ name: "manifest", capabilities: ["manifest"] }, (work) =>
          Object.entries(work.input as Record<string, string>)
            .map(([id, digest]) => `${digest}  ${id}`)
            .join("\n"),
        ),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask({
      id: "release",
      description: "make a manifest of a folder",
      pattern: "pipeline",
      input: dir,
      children: [
        { id: "list", description: "list the files", capabilities: ["list"] },
        {
          id: "hash",
          description: "hash every file",
          pattern: "fork-join",
          expand: {
            items: "files",
            each: {
              id: "{{item.name}}",
              description: "hash {{item.name}}",
              input: "{{item.path}}",
              capabilities: ["hash"],
            },
          },
        },
        { id: "manifest", description: "write the manifest", capabilities: ["manifest"] },
      ],
    });
    expect(result.success).toBe(true);
    expect(result.result).toBe(
      Object.entries(files)
        .map(([name, text]) => `${sha(text)}  ${name}`)
        .join("\n"),
    );
    await orchestrator.shutdown();
  });

  it("a Saga compensates its expanded steps, in reverse, when a later one fails", async () => {
    const dir = await tempDir();
    const orchestrator = createOrchestrator({
      agents: [
        functionAgent({ name: "installer", capabilities: ["fs:write"] }, async (work) => {
          const { file, text } = work.input as { file: string; text: string };
          const path = join(dir, file);
          await writeFile(path, text, { flag: "wx" }); // fails if something is there already
          return { path };
        }),
        functionAgent({ name: "remover", capabilities: ["fs:remove"] }, async (work) => {
          const { output } = work.input as { output: { path: string } };
          await rm(output.path);
          return { removed: output.path };
        }),
      ],
    });
    // The last step's target exists already: writing it fails after three steps have run.
    await writeFile(join(dir, "taken.txt"), "someone else's");
    const steps = [
      { file: "one.txt", text: "1" },
      { file: "two.txt", text: "2" },
      { file: "three.txt", text: "3" },
      { file: "taken.txt", text: "4" },
    ];
    const result = await orchestrator.orchestrateComplexTask(
      {
        id: "install",
        description: "install files, all or nothing",
        pattern: "saga",
        input: { steps },
        expand: {
          items: "steps",
          each: {
            id: "write-{{index}}",
            description: "write {{item.file}}",
            input: "{{item}}",
            capabilities: ["fs:write"],
            compensate: { description: "remove {{item.file}}", capabilities: ["fs:remove"] },
          },
        },
      },
      { orchestrationId: "install" },
    );
    expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(result.error?.details).toMatchObject({
      failedStep: "write-3",
      compensated: ["write-2", "write-1", "write-0"],
    });
    expect((await readdir(dir)).sort()).toEqual(["taken.txt"]);
    expect(await readFile(join(dir, "taken.txt"), "utf8")).toBe("someone else's");
    const status = orchestrator.getOrchestrationStatus("install");
    for (const i of [0, 1, 2]) expect(status.nodes[`install/write-${i}`]!.state).toBe("compensated");
    expect(status.nodes["install/write-3"]!.state).toBe("failed");
    expect(status.compensatedTasks).toBe(3);
    expect(taskCountSum(status)).toBe(status.totalTasks);
    expect(existsSync(join(dir, "one.txt"))).toBe(false);
    await orchestrator.shutdown();
  });
});
