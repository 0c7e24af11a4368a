// Whole searches through the production edges: pseudocode prompts → OpenAI client → scripted server over real HTTP,
// rewards from the table evaluator on visible tests, hidden tests used only afterwards to judge.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmClient, StepRequest, StepResponse } from "../../server/llm/llm-client.ts";
import { createOpenAiClient, type OpenAiClient } from "../../server/llm/openai-client.ts";
import { createSemaphore } from "../../server/llm/semaphore.ts";
import { createLlmStepPolicy } from "../../server/reasoning/llm-step-policy.ts";
import type { PromptApi } from "../../server/reasoning/prompt.ts";
import { pseudocodeMode, samplingMode, type ReasoningMode } from "../../server/reasoning/reasoning-mode.ts";
import { outcomeFromTree, sampledTerminals, summarizeMetrics } from "../../server/evaluation/metrics.ts";
import { runSearch, type SearchEdges, type SearchResult } from "../../server/search/run-search.ts";
import { startScriptedOpenAiServer, type RecordedRequest, type ScriptedServer } from "../../server/dev-tools/scripted-openai-server.ts";
import { TOY_PROBLEMS, createTableEvaluator, passesHidden, toyProblem, visiblePart, type ToyProblem } from "../fixtures/toy-problems.ts";

const MODEL = "scripted-model";
const CONFIG = { seed: 3, rollouts: 8, children: 3, maxDepth: 5 };
const instantClock = { now: () => 0, sleep: async () => {} };

interface Exchange {
  request: StepRequest;
  response: StepResponse;
}

/** Keeps what each tree asked and got, in order (a tree's requests are sequential). */
function recording(llm: LlmClient): LlmClient & { exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    async complete(request) {
      const response = await llm.complete(request);
      exchanges.push({ request, response });
      return response;
    },
  };
}

interface TreeRun {
  result: SearchResult;
  llm: OpenAiClient;
  exchanges: Exchange[];
}

async function searchProblem(
  server: ScriptedServer,
  problem: ToyProblem,
  options: { mode?: ReasoningMode; api?: PromptApi; seed?: number; edges?: Partial<SearchEdges> } = {},
): Promise<TreeRun> {
  const llm = createOpenAiClient({ baseUrl: server.url, model: MODEL, inFlight: createSemaphore(4), clock: instantClock, maxRetries: 6 });
  const recorded = recording(llm);
  const policy = createLlmStepPolicy({ llm: recorded, mode: options.mode ?? pseudocodeMode, problem: visiblePart(problem), api: options.api });
  const result = await runSearch(
    { ...CONFIG, seed: options.seed ?? CONFIG.seed },
    { policy, evaluate: createTableEvaluator(problem), ...options.edges },
  );
  return { result, llm, exchanges: recorded.exchanges };
}

/** The text of a request the model continues: the assistant message (chat) or the whole prompt (completions). */
function continued(request: StepRequest): string {
  return request.prompt.kind === "text" ? request.prompt.text : (request.prompt.messages.at(-1)?.content ?? "");
}

function completionBodies(server: ScriptedServer): RecordedRequest[] {
  return server.requests.filter((r) => r.path.endsWith("completions"));
}

describe("pseudocode search against the scripted server", () => {
  let server: ScriptedServer;
  const runs = new Map<string, TreeRun>();

  beforeAll(async () => {
    server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL] });
    // Three trees at once, as an experiment runs them; plus one through /v1/completions.
    const results = await Promise.all([
      ...TOY_PROBLEMS.map((p) => searchProblem(server, p)),
      searchProblem(server, toyProblem("add"), { api: "completions", seed: 4 }),
    ]);
    TOY_PROBLEMS.forEach((p, i) => runs.set(p.id, results[i] as TreeRun));
    runs.set("add/completions", results[3] as TreeRun);
  });
  afterAll(() => server.close());

  it("grows trees of Figure 4 steps that end in code", () => {
    for (const { result } of runs.values()) {
      expect(result.status).toBe("completed");
      expect(result.rolloutsDone).toBe(CONFIG.rollouts);
      const kinds = new Set(result.nodes.slice(1).map((n) => n.actionKind));
      expect(kinds).toContain("structure");
      expect(kinds).toContain("code");
      expect(result.nodes.filter((n) => n.depth === 1).every((n) => n.actionKind === "structure")).toBe(true);
      expect(result.nodes.filter((n) => n.actionKind === "code").every((n) => n.isTerminal && n.code !== null && n.reward !== null)).toBe(true);
      expect(result.finalAnswer?.reward).toBe(Math.max(...sampledTerminals(result.nodes).map((n) => n.reward ?? 0)));
    }
  });

  it("sends every expansion a prompt that extends its parent's request by the parent's chosen step, byte for byte", () => {
    for (const [name, { exchanges, result }] of runs) {
      expect(exchanges.length).toBe(new Set(result.nodes.map((n) => n.parentId).filter((id) => id !== null)).size);
      const [first, ...rest] = exchanges;
      expect(continued(first!.request).endsWith("### Step 1:")).toBe(true);
      for (const { request } of rest) {
        const prompt = continued(request);
        const parent = exchanges.find(
          (earlier) =>
            earlier.request !== request &&
            earlier.response.choices.some((choice) => {
              const base = continued(earlier.request) + choice.text;
              return prompt.startsWith(base) && /^<Step_End>\n\n<Step_Begin>\n### Step \d+:$/.test(prompt.slice(base.length));
            }),
        );
        expect(parent, `${name}: no parent request for a prompt ending ${JSON.stringify(prompt.slice(-60))}`).toBeDefined();
        if (request.prompt.kind === "chat" && parent?.request.prompt.kind === "chat") {
          expect(request.prompt.messages.slice(0, -1)).toEqual(parent.request.prompt.messages.slice(0, -1));
        }
      }
    }
    // What went on the wire is what the client was asked to send.
    const wire = completionBodies(server).map((r) => r.body as { messages?: Array<{ content: string }>; prompt?: string });
    const sent = [...runs.values()].flatMap((run) => run.exchanges.map((e) => continued(e.request)));
    expect(wire.map((b) => b.prompt ?? b.messages?.at(-1)?.content).sort()).toEqual(sent.sort());
  });

  it("never shows a hidden test to the model, while the visible tests are there", () => {
    const bodies = completionBodies(server).map((r) => r.rawBody);
    expect(bodies.length).toBeGreaterThan(10);
    for (const problem of TOY_PROBLEMS) {
      for (const hidden of problem.hiddenTests) {
        const leaks = bodies.filter((body) => body.includes(hidden) || body.includes(JSON.stringify(hidden).slice(1, -1)));
        expect(leaks, `hidden test leaked: ${hidden}`).toEqual([]);
      }
      // The check above could not fail if bodies held no tests at all.
      expect(bodies.some((body) => body.includes(JSON.stringify(problem.visibleTests[0]).slice(1, -1)))).toBe(true);
    }
    expect(bodies.some((body) => body.includes("HIDDEN-CANARY"))).toBe(false);
  });

  it("bills each tree's nodes exactly the tokens the server reported", () => {
    for (const { llm, result } of runs.values()) {
      const stats = llm.stats();
      expect(result.nodes.reduce((sum, n) => sum + n.promptTokens, 0)).toBe(stats.promptTokens);
      expect(result.nodes.reduce((sum, n) => sum + n.completionTokens, 0)).toBe(stats.completionTokens);
      expect(stats.calls).toBe(new Set(result.nodes.map((n) => n.parentId).filter((id) => id !== null)).size);
    }
  });

  it("judges the trees on hidden tests afterwards and summarises them", () => {
    const outcomes = TOY_PROBLEMS.map((problem) => {
      const { result } = runs.get(problem.id)!;
      const verdicts = new Map(sampledTerminals(result.nodes).map((n) => [n.id, passesHidden(problem, n.code)]));
      return outcomeFromTree(problem.id, result.nodes, verdicts);
    });
    const summary = summarizeMetrics(outcomes);
    expect(summary.problems).toBe(3);
    // Correct code scores 1 on visible tests and wrong code less, so a tree that sampled the correct code answers with it.
    const expectedPass1 = outcomes.filter((o) => o.terminalPasses.some(Boolean)).length / 3;
    expect(summary.pass1).toBeCloseTo(expectedPass1, 12);
    expect(summary.aspr).toBeGreaterThan(0);
    expect(summary.aspr).toBeLessThan(1);
    expect(summary.tokensPerProblem).toBeGreaterThan(0);
  });
});

describe("search over HTTP: determinism, faults, cancel, sampling", () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedOpenAiServer({ problems: TOY_PROBLEMS, models: [MODEL], seed: 9 });
  });
  afterAll(() => server.close());

  it("grows the same tree from the same seed, and survives injected faults unchanged", async () => {
    const problem = toyProblem("max");
    const first = await searchProblem(server, problem);
    const second = await searchProblem(server, problem);
    expect(second.result).toEqual(first.result);
    const other = await searchProblem(server, problem, { seed: 99 });
    expect(other.result.nodes.map((n) => n.stepText)).not.toEqual(first.result.nodes.map((n) => n.stepText));

    server.setFaults({ rate: 0.3, kinds: ["server-error", "rate-limit", "reset", "malformed-body"], retryAfter: "0" });
    const faulty = await searchProblem(server, problem);
    server.setFaults({});
    expect(faulty.llm.stats().retries).toBeGreaterThan(0);
    expect(faulty.result).toEqual(first.result);
  });

  it("cancels a search while its LLM request is in flight", async () => {
    const start = server.requests.length;
    server.setFaults({ script: ["none", "none", "hang"] });
    const controller = new AbortController();
    const running = searchProblem(server, toyProblem("add"), { edges: { signal: controller.signal } });
    while (server.requests.length - start < 3) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("cancelled by user"));
    const { result } = await running;
    server.setFaults({});
    expect(result.status).toBe("cancelled");
    expect(server.requests.length - start).toBe(3);
    expect(result.rolloutsDone).toBeLessThan(CONFIG.rollouts);
  });

  it("runs sampling mode as one terminal answer per child", async () => {
    const start = server.requests.length;
    const { result } = await searchProblem(server, toyProblem("reverse"), { mode: samplingMode });
    expect(result.nodes.slice(1).every((n) => n.depth === 1 && n.isTerminal && n.actionKind === "vanilla" && n.code !== null)).toBe(true);
    // Identical answers are one node counting its copies: the n samples are all there.
    expect(result.nodes.slice(1).reduce((sum, n) => sum + n.copies, 0)).toBe(CONFIG.children);
    expect(new Set(result.nodes.map((n) => n.stepText)).size).toBe(result.nodes.length);
    const body = server.requests[start]?.body as Record<string, unknown>;
    expect(body.continue_final_message).toBeUndefined();
    expect(body.stop).toBeUndefined();
    expect(server.requests.length - start).toBe(1);
  });
});
