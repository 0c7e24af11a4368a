// "Hidden tests are never shown to the model" through the production path (issue 18: the old check built the model
// input itself, so the filter that decides what a prompt may show was not on its path). An experiment runs through
// runExperiment → run-tree's searchVisibleTests → the LLM policy → the scripted server over HTTP; every request body
// the server received is searched for the hidden tests' text, and the hidden tests are shown to have judged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJsonlRecords, openAiOverHttp } from "../helpers/scripted-runs.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import { runExperiment } from "../../server/engine/run-experiment.ts";
import { createSandbox } from "../../server/sandbox/index.ts";
import type { RunRequest, Sandbox } from "../../server/sandbox/types.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";

// Each hidden test carries a canary that appears nowhere else (not in the statement, the solution or a visible test).
const PROBLEMS = [1, 2].map((i) => ({
  id: `h${i}`,
  statement: `Write a function twice${i}(x) that returns 2 * x.`,
  entry_point: `twice${i}`,
  reference_solution: `def twice${i}(x):\n    return 2 * x\n`,
  tests: [
    `assert twice${i}(3) == 6`,
    { assert: `assert twice${i}(4242${i}) == ${2 * Number(`4242${i}`)}  # HIDDEN-CANARY-${i}a`, hidden: true },
    { assert: `assert twice${i}(7070${i}) == ${2 * Number(`7070${i}`)}`, hidden: true },
  ],
}));

describe("hidden tests never reach the model", () => {
  const prisma = useTestPrisma();
  const dataset = uniqueName("hidden");
  let sandbox: Sandbox;
  let server: ScriptedServer;

  beforeAll(async () => {
    const { problems } = await importJsonlRecords(prisma, dataset, PROBLEMS);
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
    sandbox = await createSandbox();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await server?.close();
  });

  it.each(["pseudocode", "vanilla"] as const)("%s: no request holds a hidden test; the visible one is in every prompt", async (mode) => {
    const before = server.requests.length;
    const { id } = await createExperimentFromInput(prisma, { dataset, mode, llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 6 } });
    const result = await runExperiment(prisma, id, { sandbox, createLlm: openAiOverHttp });
    expect(result.status).toBe("completed");
    // The hidden tests did judge: both problems are judged, and the scripted policy's right answer passes them.
    expect(result.metrics).toMatchObject({ problems: 2, unjudgedProblems: 0 });
    expect(result.metrics!.pass1).toBe(1);

    const bodies = server.requests.slice(before).filter((r) => r.path.endsWith("completions")).map((r) => r.rawBody);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const i of [1, 2]) {
      const hiddenMarks = ["HIDDEN-CANARY", `4242${i}`, `7070${i}`];
      expect(bodies.filter((body) => hiddenMarks.some((mark) => body.includes(mark)))).toEqual([]);
    }
    const withVisible = bodies.filter((body) => body.includes("assert twice1(3) == 6") || body.includes("assert twice2(3) == 6"));
    expect(withVisible.length).toBe(bodies.length);
  }, 120_000);

  it("judges each tree's programs as the search makes them, as background runs, once per distinct program", async () => {
    // Every run the engine asks of the sandbox, with whether it was a background run when it was asked for.
    const asked: Array<{ code: string; hidden: boolean; background: boolean | undefined }> = [];
    const watched = new Proxy(sandbox, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key !== "run") return typeof value === "function" ? value.bind(target) : value;
        return (request: RunRequest) => {
          const hidden = request.tests.some((t) => t.kind === "assert" && /4242|7070/.test(t.input));
          asked.push({ code: request.code, hidden, background: request.priority?.background });
          return target.run(request);
        };
      },
    });
    const { id } = await createExperimentFromInput(prisma, { dataset, mode: "pseudocode", llm: { baseUrl: server.url, model: "m" }, search: { rollouts: 6 }, concurrency: 1 });
    const result = await runExperiment(prisma, id, { sandbox: watched, createLlm: openAiOverHttp });
    expect(result.metrics).toMatchObject({ problems: 2, unjudgedProblems: 0, pass1: 1 });
    const judging = asked.filter((run) => run.hidden);
    expect(judging.length).toBeGreaterThan(0);
    // Started early (judgeSoon), not by the final judging: background when asked for; and one run per program
    // (with one tree at a time, a program's text names its problem).
    expect(judging.every((run) => run.background === true)).toBe(true);
    expect(new Set(judging.map((run) => run.code)).size).toBe(judging.length);
    // The search's own runs are never background runs, and never hold a hidden test.
    expect(asked.filter((run) => !run.hidden).every((run) => run.background === undefined)).toBe(true);
  }, 120_000);
});
