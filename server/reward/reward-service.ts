// Rewards for RL trainers: each completion's code (its last ```python block) is run in our sandbox against the
// problem's SEARCH-VISIBLE tests, and the reward is the search's own r = α·compile + (1−α)·pass_rate. Hidden tests
// are never loaded here, so they can never give a reward. Problems are looked up once per label and kept.
import type { Db } from "../db/index.ts";
import { combinedReward, type CombinedRewardConfig, type ProcessRewardModel } from "../prm/index.ts";
import { extractAnyFencedCode } from "../reasoning/index.ts";
import { createVisibleTestEvaluator, type StoredTest } from "../judging/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { computeReward } from "../search/index.ts";
import { DEFAULT_MAX_BATCH, parseRewardRequest, RewardRequestError, type RewardItem } from "./reward-request.ts";
import { responseSteps } from "./response-steps.ts";

export interface RewardResponse {
  rewards: number[];
  scores: number[];
  extra_logs: { pass_rate: number[]; compiles: number[]; has_code: number[]; outcome?: number[]; prm_steps_scored?: number[] };
}

/** The paper's ϕ = α(t)·R + (1−α(t))·(1/m)·Σ γ^j·r^j with a PRM's step scores r^j; R is the test reward. */
export interface RewardPrmBlend {
  prm: ProcessRewardModel;
  combined: CombinedRewardConfig;
  t: number;
}

export interface RewardServiceOptions {
  /** The sandbox, or how to make one on first use (the web server makes it outside Next's bundle). */
  sandbox: Sandbox | (() => Promise<Sandbox>);
  /** α of r = α·compile + (1−α)·pass_rate (the search default, 0: pass rate only). */
  alpha?: number;
  maxBatch?: number;
  /** Blend in a PRM's step scores by ϕ (off by default: the reward is the test reward alone). */
  blend?: RewardPrmBlend;
}

export interface RewardService {
  /** The whole protocol: a request body in, the response body out; RewardRequestError for a bad request. */
  score(bodyText: string): Promise<RewardResponse>;
  close(): Promise<void>;
}

interface RewardProblem {
  setupCode: string;
  entryPoint: string | null;
  visibleTests: StoredTest[];
}

const PROBLEM_CACHE_MAX = 10_000;

export function createRewardService(prisma: Db, options: RewardServiceOptions): RewardService {
  const alpha = options.alpha ?? 0;
  const problems = new Map<string, Promise<RewardProblem | null>>();
  let sandbox: Promise<Sandbox> | null = typeof options.sandbox === "function" ? null : Promise.resolve(options.sandbox);
  const getSandbox = () => (sandbox ??= (options.sandbox as () => Promise<Sandbox>)());

  async function loadProblem(dataset: string, externalId: string): Promise<RewardProblem | null> {
    const row = await prisma.problem.findFirst({
      where: { dataset: { name: dataset }, externalId },
      select: {
        testSetupCode: true,
        entryPoint: true,
        // Only the tests the search may see: hidden tests never reach a reward.
        testCases: { where: { origin: "DATASET_VISIBLE" }, orderBy: { ordinal: "asc" }, select: { id: true, kind: true, input: true, expected: true, atol: true } },
      },
    });
    if (!row) return null;
    return { setupCode: row.testSetupCode, entryPoint: row.entryPoint, visibleTests: row.testCases };
  }

  function problemFor(item: RewardItem): Promise<RewardProblem | null> {
    const key = item.label.text;
    let found = problems.get(key);
    if (!found) {
      if (problems.size >= PROBLEM_CACHE_MAX) problems.delete(problems.keys().next().value!);
      found = loadProblem(item.label.dataset, item.label.externalId);
      found.then((p) => p === null && problems.delete(key), () => problems.delete(key));
      problems.set(key, found);
    }
    return found;
  }

  return {
    score,
    async close() {
      const made = sandbox;
      sandbox = null;
      await (await made?.catch(() => null))?.close();
    },
  };

  async function score(bodyText: string): Promise<RewardResponse> {
    const items = parseRewardRequest(bodyText, options.maxBatch ?? DEFAULT_MAX_BATCH);
    const resolved = await Promise.all(items.map(problemFor));
    const unknown = resolved.findIndex((p) => p === null);
    if (unknown >= 0) throw new RewardRequestError(422, `no problem '${items[unknown]!.label.externalId}' in a dataset named '${items[unknown]!.label.dataset}' (o1c datasets lists them)`, `labels[${unknown}]`);
    // One evaluator per problem per request: identical completions in a batch (GRPO groups) run once, and nothing
    // is remembered across requests (an RL run sends millions of distinct completions).
    const sandboxNow = await getSandbox();
    const evaluators = new Map<RewardProblem, ReturnType<typeof createVisibleTestEvaluator>>();
    const evaluatorFor = (problem: RewardProblem) => {
      let evaluate = evaluators.get(problem);
      if (!evaluate) evaluators.set(problem, (evaluate = createVisibleTestEvaluator(sandboxNow, problem, problem.visibleTests)));
      return evaluate;
    };
    const results = await Promise.all(
      items.map(async (item, i) => {
        const code = extractAnyFencedCode(item.response);
        if (code === null) return { reward: 0, passRate: 0, compiles: false, hasCode: false };
        const evaluation = await evaluatorFor(resolved[i]!)(code, {});
        return { reward: computeReward(evaluation, alpha), passRate: evaluation.passRate, compiles: evaluation.compiles, hasCode: true };
      }),
    );
    const outcomes = results.map((r) => r.reward);
    const extra = { pass_rate: results.map((r) => r.passRate), compiles: results.map((r) => (r.compiles ? 1 : 0)), has_code: results.map((r) => (r.hasCode ? 1 : 0)) };
    if (!options.blend) return { rewards: outcomes, scores: outcomes, extra_logs: extra };
    const blended = await blendWithPrm(options.blend, items, outcomes);
    return { rewards: blended.rewards, scores: blended.rewards, extra_logs: { ...extra, outcome: outcomes, prm_steps_scored: blended.scoredSteps } };
  }
}

/**
 * ϕ per completion: every step is scored given the steps before it (one PRM request per step, all of a batch at
 * once). A step the PRM could not score is left out of the process term; with none scored, ϕ = R.
 */
async function blendWithPrm(blend: RewardPrmBlend, items: readonly RewardItem[], outcomes: readonly number[]) {
  const requests = items.flatMap((item, i) => {
    const steps = responseSteps(item.response);
    return steps.map((_, j) => ({ item: i, request: { problem: item.prompt, steps: steps.slice(0, j + 1) } }));
  });
  const results = await blend.prm.scoreSteps(requests.map((r) => r.request));
  const stepScores = items.map(() => [] as number[]);
  results.forEach((result, k) => {
    if (result.score !== null) stepScores[requests[k]!.item]!.push(result.score);
  });
  return {
    rewards: outcomes.map((outcome, i) => combinedReward(outcome, stepScores[i]!, blend.t, blend.combined)),
    scoredSteps: stepScores.map((s) => s.length),
  };
}
