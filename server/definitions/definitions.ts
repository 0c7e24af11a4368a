// The definitions the UI and the docs show beside each number: experiment metrics, the path reward ϕ, rollout labels,
// TCG counts, the lineage page's own numbers and what a PRM score means under each mode. Plain strings, browser-safe;
// written once here.

/** What each number means, worded for the UI and the docs; every place that shows a metric shows its definition. */
export const METRIC_DEFINITIONS = {
  pass1:
    "Pass@1: the share of problems whose final answer (the tree's best terminal node by value Q/N, a value earned on the " +
    "search-visible tests) passes all of the benchmark's own tests, visible ones included (MBPP: the three test_list asserts).",
  challenge:
    "Challenge Pass@1: over the problems that have MBPP challenge_test_list asserts, the share whose final answer passes " +
    "them; a separate verdict that never decides Pass@1.",
  plus:
    "Plus Pass@1: over the problems that have EvalPlus plus inputs, the share whose final answer passes the base tests " +
    "and every plus test (EvalPlus's \"base + extra\"); a separate verdict that never decides Pass@1.",
  judging:
    "Judging tests: the benchmark's own tests, search-visible and hidden (MBPP: all three test_list asserts; HumanEval: " +
    "the check harness and the prompt's doctests). Hidden tests never reach a prompt or a search reward; generated tests " +
    "never judge. Challenge and plus tests are separate verdicts.",
  pass1FirstTerminal:
    "Pass@1 (first terminal): the share of problems whose first sampled terminal node (the earliest the search created, " +
    "no selection) passes all of the benchmark's own tests. For sampling mode it is the plain one-sample Pass@1.",
  aspr:
    "ASPR: per problem, the share of sampled terminal nodes (every terminal the search generated, visited or not; " +
    "one without code counts as failing; a node holding several identical samples counts once per sample) whose code " +
    "passes all of the benchmark's own tests, averaged over problems. " +
    "This is our reading of the paper's \"average success rate of reaching the correct reasoning path on the last step\", " +
    "which the paper does not define further.",
  passAtK:
    "pass@k (sampling mode): the unbiased estimate 1 − C(n−c, k)/C(n, k) over the n independent samples (c of them " +
    "passing), averaged over problems; fewer than k samples count as passing if any passes.",
  terminalSuccessAtK:
    "terminal success@k (tree, not i.i.d.): the same formula over a tree's sampled terminals. They share prefixes and " +
    "were chosen by the search, so this is not the unbiased pass@k of independent samples; compare it only between trees.",
  tokenCurve:
    "Pass@1 vs tokens: per problem, after each LLM request of the search in order, the answer it would give if it " +
    "stopped there (the best terminal with code so far by value Q/N, which for a terminal is its visible-test reward; " +
    "ties to the earliest) is judged; at a per-problem budget of B policy tokens, the share of problems whose answer " +
    "within B passes. The curve ends at Pass@1 (up to the tie-break: the final answer prefers more visits).",
  selection:
    "Selection vs judging: the search and the final answer's choice (Q/N) use only the search-visible tests (and " +
    "generated tests, when the experiment uses them); Pass@1, ASPR and the rest are judged on the benchmark's own tests.",
  tokens:
    "Tokens: prompt + completion tokens reported by the LLM server, per problem; a request's prompt is counted once " +
    "for all n sibling steps it produced.",
  prmTokens:
    "PRM tokens: prompt + completion tokens of the PRM's requests per problem (a judge's LLM calls), counted apart from the " +
    "policy's tokens (a served PRM on /pooling: the prompt tokens vLLM reports; it generates none); total tokens = policy + PRM.",
  llmCalls: "LLM calls: completion requests per problem (each yields n sibling steps); retries of a request are not counted.",
} as const;

/** The paper's own Table 1 (O1-CODER, MBPP), shown beside ours and labelled as the paper's. No sample count given. */
export const PAPER_TABLE1 = {
  source: "O1-CODER paper, Table 1 (MBPP)",
  rows: [
    { model: "Qwen2.5-1.5B", vanilla: { pass1: 0.558, aspr: 0.499 }, pseudocode: { pass1: 0.467, aspr: 0.545 } },
    { model: "Qwen2.5-3B", vanilla: { pass1: 0.563, aspr: 0.52 }, pseudocode: { pass1: 0.513, aspr: 0.706 } },
    { model: "Qwen2.5-7B", vanilla: { pass1: 0.598, aspr: 0.664 }, pseudocode: { pass1: 0.501, aspr: 0.781 } },
    { model: "Qwen2.5-Coder-7B", vanilla: { pass1: 0.577, aspr: 0.493 }, pseudocode: { pass1: 0.582, aspr: 0.749 } },
  ],
} as const;

export const PHI_DEFINITION =
  "ϕ = α(t)·R + (1 − α(t))·(1/m)·Σ_j γ^j·r^j: R is the terminal's reward on the search-visible tests; r^j is step j's " +
  "score from the configured source (prm.combinedReward.stepScore); m is the number of steps on the path. t is the " +
  "configured prm.combinedReward.t when given (an export's --phi-t overrides it for that file), else the experiment's " +
  "lineage iteration, else 0. The node inspector and every export compute ϕ with the same function.";

/** What r^j is under each prm.combinedReward.stepScore (STEP_SCORE_SOURCES). */
export const STEP_SCORE_DEFINITIONS = {
  "prm-or-value": "Step scores: the step's PRM score; without one its value Q/N; a step no rollout visited, its visit-weighted label.",
  value: "Step scores: the step's value Q/N (PRM scores ignored); a step no rollout visited, its visit-weighted label.",
  "visit-weighted": "Step scores: the step's visit-weighted rollout label only.",
} as const;

export const LABEL_DEFINITIONS = {
  hard: "Hard label: 1 when at least one completion below the step (a terminal in its subtree) passes, else 0.",
  visitWeighted:
    "Visit-weighted label: the share of completions below the step that reached a passing terminal, each terminal " +
    "counting as many completions as rollouts ended there (at least one). UCT chose where those rollouts went, so this " +
    "is close to the step's normalised Q/N — not Math-Shepherd's soft label, which samples k independent completions " +
    "from the step. Floats in [0, 1]: TRL's PRMTrainer casts labels with int() and would read them as 0.",
  sampled:
    "Sampled label (Math-Shepherd, prm.labels: sampled): the share of k completions, sampled independently by the " +
    "policy from the step and continued to a terminal, that pass every search-visible test (k = prm.samplesPerStep). " +
    "Floats in [0, 1], with the same caveat for TRL's PRMTrainer.",
} as const;

export const TCG_DEFINITIONS = {
  generated: "Candidate test cases found in the completions: each assert statement or ```case block, well-formed or not (a completion with no candidate at all counts as one malformed case).",
  parsed: "Candidates that parsed into a test (assert <call> == <expected>, or # input / # output); the rest are malformed and kept with their reason.",
  duplicates: "Parsed cases that repeat an earlier case of the same completion (whitespace outside strings ignored); not stored as tests.",
  valid: "Distinct parsed cases the reference solution passes in the sandbox; only these feed a search with testSource generated/both.",
  invalid: "Distinct parsed cases the reference solution fails (wrong output, exception, timeout); stored with the reason.",
  unvalidated: "Distinct parsed cases that could not be checked: the problem has no reference solution, or the reference did not load.",
  validityRate: "Validity rate = valid / (valid + invalid): the share of distinct, well-formed generated cases that the reference solution passes (the paper's TCG metric: 80.8% after SFT, 89.2% after DPO). Malformed, duplicate and unvalidated cases are counted apart, not in this rate.",
  agreement:
    "Agreement with the hidden tests, over candidate programs = the distinct terminal codes stored in search trees of these problems (at most agreementCandidates per problem; only problems with valid generated cases and hidden tests). A candidate is wrong when it fails a hidden test. Caught = wrong candidates that also fail a valid generated case of this run. Agreement = share of candidates whose verdict on the valid generated cases (pass all / not) equals their verdict on the hidden tests.",
} as const;

// What the lineage page's own numbers mean (Pass@1, ASPR and tokens use METRIC_DEFINITIONS).

export const LINEAGE_DEFINITIONS = {
  iteration:
    "Iteration: the self-play round. 0 is the base policy; the policy of iteration k+1 was trained (outside this app, " +
    "e.g. with TRL) on data exported from iteration k and registered as a new endpoint.",
  trainedOn: "Trained on: what the researcher recorded this iteration's policy was trained on (free text).",
  tcgValidity:
    "TCG validity: the validity rate of the latest completed Test Case Generator run on the same dataset with the " +
    "same model name as the experiment (– when there is no such run). " +
    TCG_DEFINITIONS.validityRate,
  judgements:
    "Judgements: human step-preference judgements recorded on this experiment's trees (one per sibling pair and " +
    "annotator; search-derived preferences are not counted).",
  annotators: "Annotators: distinct annotator names among those judgements (an unnamed annotator counts as one).",
  delta:
    "Δ: the change from the previous iteration's experiment with the same dataset and reasoning mode (the nearest lower " +
    "iteration that has one; the latest created if several), on the problems both experiments scored (a failed search " +
    "counts as a miss, except in an experiment that failed as a whole, e.g. its LLM unreachable: an outage says nothing " +
    "of the policy, so only its judged problems count): the row says how many, and marks the Δ not comparable when " +
    "they have none in common. Percentages change in points.",
} as const;

/** How an iteration's TCG validity is found, in one sentence for the CLI and the UI. */
export const TCG_VALIDITY_RULE = LINEAGE_DEFINITIONS.tcgValidity;

/** The PRM modes (prm.mode in an experiment config, server/contracts/prm-config.ts). */
export const PRM_MODES = ["none", "rollout", "served", "judge"] as const;
export type PrmMode = (typeof PRM_MODES)[number];

/** What a node's PRM score means under each mode; the explorer's legend and inspector show these. */
export const PRM_MODE_DEFINITIONS: Record<PrmMode, string> = {
  none: "No process reward model: nodes carry no PRM score.",
  rollout:
    "Rollout labels (no PRM model): after the search each step's PRM score is its label — visit-weighted (the share " +
    "of the search's own completions below it that pass every search-visible test, weighted by visits) or, with " +
    "labels: sampled, Math-Shepherd's (the share of k completions sampled independently from the step that pass).",
  served:
    "A PRM served by vLLM's pooling API: the probability of the 'good' class at the step tag after the step, given the " +
    "problem and the path to it, rendered with the PRM's chat template (system, user = problem, assistant = the " +
    "steps each followed by the step tag) unless prm.input is text.",
  judge:
    "An LLM judge: P(+) = e^lp(+) / (e^lp(+) + e^lp(−)) from the logprobs of '+' and '−' after a Rating tag that follows " +
    "the step, given the problem and the path to it.",
};
