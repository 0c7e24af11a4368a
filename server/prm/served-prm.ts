// A PRM served by vLLM's pooling API (see pooling-wire.ts for the request and response shape and the vLLM version).
// Chat input (the default) sends each path as one conversation under the PRM's chat template (vLLM takes one
// conversation per request; the shared semaphore bounds how many are in flight). Text input batches up to
// `batchSize` raw paths per POST; a batch that fails for good (e.g. one path longer than the PRM's context makes vLLM
// reject the whole request) is retried one path per request, so only the bad path goes unscored.
import { ValidationError } from "../errors.ts";
import { DEFAULT_PRM_SYSTEM_PROMPT } from "../contracts/index.ts";
import { systemClock, type Clock, sharedLlmSemaphore, type Semaphore, postJsonWithRetries } from "../llm/index.ts";
import { buildPoolingBody, buildPoolingChatBody, parsePoolingResponse, poolingInput, poolingMessages, stepTagScore, type PoolingReply, type PoolingRows } from "./pooling-wire.ts";
import { failed, scored, type PrmRequest, type PrmResult, type PrmUsage, type ProcessRewardModel } from "./process-reward-model.ts";

export interface ServedPrmOptions {
  /** The vLLM server: its root or its …/v1 address (the pooling route lives at the root). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  stepTag: string;
  goodIndex: number;
  /** chat (default): the PRM's chat template over messages, one path per request; text: raw inputs, batched. */
  input?: "chat" | "text";
  /** chat: the system turn. */
  systemPrompt?: string;
  /** text: paths per request. */
  batchSize: number;
  timeoutMs: number;
  maxRetries: number;
  inFlight?: Semaphore;
  clock?: Clock;
  random?: () => number;
}

export interface ServedPrm extends ProcessRewardModel {
  readonly url: string;
  /** POSTs sent (first attempts) and retries, for tests and tree metrics. */
  stats(): { requests: number; retries: number };
}

/** http://gpu:8001/v1 → http://gpu:8001/pooling; http://gpu:8001/prefix → http://gpu:8001/prefix/pooling. */
export function poolingUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new ValidationError(`"${baseUrl}" is not a URL (expected e.g. http://localhost:8001)`, "prm.baseUrl");
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "")}/pooling`;
  url.search = "";
  url.hash = "";
  return url;
}

export function createServedPrm(options: ServedPrmOptions): ServedPrm {
  const url = poolingUrl(options.baseUrl);
  const inFlight = options.inFlight ?? sharedLlmSemaphore();
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const counters = { requests: 0, retries: 0 };
  // What the experiment's token counts see: the prompt tokens vLLM reports per answered request (a pooling request
  // generates nothing, so completion tokens stay 0).
  const usage: PrmUsage = { promptTokens: 0, completionTokens: 0, requests: 0 };

  async function post(body: object, signal?: AbortSignal): Promise<PoolingRows> {
    counters.requests += 1;
    const reply = await postJsonWithRetries<PoolingReply>({
      url,
      body: JSON.stringify(body),
      model: options.model,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      parse: (json) => {
        const parsed = parsePoolingResponse(json);
        return parsed.ok ? { ok: true, value: parsed } : parsed;
      },
      inFlight,
      clock,
      random,
      signal,
      onRetry: () => void (counters.retries += 1),
    });
    usage.promptTokens += reply.promptTokens;
    usage.requests += 1;
    return reply.rows;
  }

  function readScores(rows: PoolingRows, count: number): PrmResult[] {
    return Array.from({ length: count }, (_, i) => {
      try {
        return scored(stepTagScore(rows.get(i), options.goodIndex));
      } catch (error) {
        return failed(error);
      }
    });
  }

  async function scoreConversation(messages: ReturnType<typeof poolingMessages>, signal?: AbortSignal): Promise<PrmResult> {
    try {
      return readScores(await post(buildPoolingChatBody(options.model, messages), signal), 1)[0]!;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return failed(error);
    }
  }

  async function scoreBatch(inputs: readonly string[], signal?: AbortSignal): Promise<PrmResult[]> {
    try {
      return readScores(await post(buildPoolingBody(options.model, inputs), signal), inputs.length);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (inputs.length === 1) return [failed(error)];
      // One bad input fails vLLM's whole request: find it by asking for each path alone.
      return (await Promise.all(inputs.map((input) => scoreBatch([input], signal)))).flat();
    }
  }

  return {
    mode: "served",
    url: url.href,
    stats: () => ({ ...counters }),
    usage: () => ({ ...usage }),
    async scoreSteps(requests: readonly PrmRequest[], signal?: AbortSignal) {
      if ((options.input ?? "chat") === "chat") {
        const systemPrompt = options.systemPrompt ?? DEFAULT_PRM_SYSTEM_PROMPT;
        return Promise.all(requests.map((r) => scoreConversation(poolingMessages(r.problem, r.steps, options.stepTag, systemPrompt), signal)));
      }
      const inputs = requests.map((r) => poolingInput(r.problem, r.steps, options.stepTag));
      const batches: string[][] = [];
      for (let i = 0; i < inputs.length; i += options.batchSize) batches.push(inputs.slice(i, i + options.batchSize));
      return (await Promise.all(batches.map((batch) => scoreBatch(batch, signal)))).flat();
    },
  };
}
