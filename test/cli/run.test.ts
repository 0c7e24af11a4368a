// `o1c run … --json` and `o1c compare` against the scripted OpenAI-compatible server, as the done-criterion
// runs them: the process exits 0 and prints the metrics.
import { afterAll, beforeAll, expect, it } from "vitest";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { describeWithDataset } from "../helpers/datasets.ts";
import { startScriptedOpenAiServer, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { scriptedProblemsFrom } from "../../server/dev-tools/scripted-problems.ts";
import { uniqueName, useTestPrisma } from "../helpers/db.ts";
import { o1c } from "../helpers/o1c.ts";

describeWithDataset("o1c run and compare", "mbpp.jsonl", (mbppPath) => {
  const prisma = useTestPrisma();
  let server: ScriptedServer;
  const dataset = uniqueName("mbpp-cli");

  beforeAll(async () => {
    await importDataset(prisma, { source: { path: mbppPath }, format: "mbpp", name: dataset });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: dataset }, ordinal: { lte: 20 } } });
    server = await startScriptedOpenAiServer({ problems: scriptedProblemsFrom(problems), models: ["m"] });
  }, 60_000);
  afterAll(() => server?.close());

  it("run --json exits 0 and prints Pass@1, ASPR, pass@k and tokens; the trees are stored", async () => {
    const { code, stdout, stderr } = await o1c(["run", "--dataset", dataset, "--problems", "1-20", "--mode", "pseudocode", "--llm", server.url, "--model", "m", "--json"]);
    expect(code, stderr).toBe(0);
    const metrics = JSON.parse(stdout) as Record<string, unknown>;
    expect(metrics).toMatchObject({ problems: 20, failedProblems: 0 });
    for (const key of ["pass1", "aspr", "passAtK", "promptTokens", "completionTokens", "tokensPerProblem", "wallMs"]) expect(metrics).toHaveProperty(key);
    const experiment = await prisma.experiment.findFirstOrThrow({ where: { dataset: { name: dataset } }, orderBy: { createdAt: "desc" } });
    expect(experiment.status).toBe("COMPLETED");
    const nodes = await prisma.treeNode.count({ where: { tree: { experimentId: experiment.id } } });
    expect(nodes).toBeGreaterThan(20 * 10);
  }, 180_000);

  it("a bad flag names itself and creates nothing", async () => {
    const { code, stderr } = await o1c(["run", "--dataset", dataset, "--mode", "pseudocode", "--llm", server.url, "--model", "m", "--rollouts", "0"]);
    expect(code).toBe(1);
    expect(stderr).toContain("command line field search.rollouts");
  });

  it("compare prints the Table 1 layout", async () => {
    const { code, stdout, stderr } = await o1c(["compare", "--dataset", dataset, "--problems", "1-5", "--llm", server.url, "--model", "m", "--rollouts", "4"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/metric\s+vanilla\s+pseudocode\s+Δ/);
    expect(stdout).toMatch(/Pass@1 final answer \(%\)/);
    expect(stdout).toMatch(/Pass@1 first terminal \(%\)/);
    expect(stdout).toMatch(/ASPR \(%\)/);
    expect(stdout).toMatch(/PRM tokens \/ problem/);
    expect(stdout).toMatch(/The paper's own figures .*\n\s+Qwen2\.5-1\.5B\s+Pass@1 55\.8 → 46\.7\s+ASPR 49\.9 → 54\.5/);
  }, 180_000);

  it("compare --json: both modes searched at the same rollouts, each with its Pass@1-vs-tokens curve, and the paper's figures", async () => {
    const { code, stdout, stderr } = await o1c(["compare", "--dataset", dataset, "--problems", "1-3", "--llm", server.url, "--model", "m", "--rollouts", "4", "--json"]);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    for (const mode of ["vanilla", "pseudocode"]) {
      expect(out[mode].llmCallsPerProblem).toBeGreaterThan(1);
      const curve = out[mode].tokenCurve as Array<{ tokensPerProblem: number; pass1: number }>;
      expect(curve.length).toBeGreaterThan(1);
      expect(curve.at(-1)!.tokensPerProblem).toBeGreaterThan(curve[0]!.tokensPerProblem);
      expect(typeof out[mode].pass1FirstTerminal).toBe("number");
    }
    expect(out.paperTable1.rows).toHaveLength(4);
  }, 180_000);
});
