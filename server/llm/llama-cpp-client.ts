// LlmClient backed by llama.cpp in-process (node-llama-cpp, CPU only) for users without a GPU server: loads the GGUF
// file the user names, lazily on first use, and samples step continuations with the same request semantics as the
// OpenAI client (chat continuation or raw text, n siblings, stop strings, temperature/top_p/max_tokens/seed, usage).
//
// - n: the siblings are sampled one after another on one context sequence. The prompt is evaluated once; each further
//   sibling re-evaluates only the prompt's last token (its KV cache is kept), and the next request reuses the longest
//   token prefix it shares with the previous one, so a child step's prompt costs only its new tokens.
// - seed: sibling i samples with deriveSeed(seed, i), so a request is reproducible and its siblings differ. A request
//   without a seed draws one from the client's generator (seeded by `seed`, else at random). Reuse of cached prefixes can
//   change float rounding in the logits, which may (very rarely) flip a sampled token between otherwise equal requests.
// - stop: the continuation is cut before the earliest stop string (kept with `includeStopInOutput`), finishReason
//   "stop"; an end-of-generation token (EOS/EOT) also gives "stop", "length" comes from maxTokens.
// - maxTokens defaults to the room left in the context; prompt + maxTokens beyond the context is a "context-too-long"
//   config error (as vLLM answers 400), never a silent context shift.
// - logprobs are not supported: choices carry `logprobs: null` even when asked for.
// - Concurrency: llama.cpp contexts are not re-entrant, so one request runs at a time per client (queued FIFO); a
//   request takes a permit of the shared in-flight limiter only once it is its turn, and holds it while it generates.
import { randomInt } from "node:crypto";
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  getLlama,
  Llama,
  LlamaLogLevel,
  readGgufFileInfo,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { ConflictError, ValidationError } from "../errors.ts";
import { createRandom, deriveSeed, type Random } from "../lib/index.ts";
import { sampleContinuation } from "./llama-cpp-generate.ts";
import { createPromptRenderer, type ChatFormat, type PromptRenderer } from "./llama-cpp-prompt.ts";
import type { LlmClient, StepChoice, StepPrompt, StepRequest, StepResponse } from "./llm-client.ts";
import { LlmConfigError, LlmError, LlmUnavailableError, type LlmFailureKind } from "./llm-errors.ts";
import { copyLlmStats, countFailure, createLlmStats, type LlmStats } from "./llm-stats.ts";
import { createSemaphore, sharedLlmSemaphore, type Semaphore } from "./semaphore.ts";
import { requireInteger, validateStepRequest } from "./validate-request.ts";

/** Environment variable naming the GGUF file of the embedded backend; the CLI also takes `--gguf PATH`. */
export const LLAMA_CPP_GGUF_ENV = "O1C_GGUF";

export const DEFAULT_LLAMA_CPP_CONTEXT_SIZE = 4096;

export interface LlamaCppClientOptions {
  ggufPath: string;
  /** Tokens of context (prompt + completion); default min(the model's training context, 4096). */
  contextSize?: number;
  /** CPU threads for evaluation; default node-llama-cpp's (all cores). */
  threads?: number;
  /** Seeds the generator that picks a sampling seed for requests that carry none; default random. */
  seed?: number;
  /** CPU only for now: no layers are offloaded. */
  gpu?: false;
  /** Process-wide limiter by default, shared with every other client. */
  inFlight?: Semaphore;
}

export interface LlamaCppModelInfo {
  ggufPath: string;
  model: string;
  loadMs: number;
  contextSize: number;
  trainContextSize: number;
  vocabSize: number;
  /** How chat prompts are rendered: the GGUF's Jinja template, or renderFallbackChat when it has none. */
  chatFormat: ChatFormat;
}

export interface LlamaCppClient extends LlmClient {
  /** The GGUF file name, reported as `StepResponse.model`. */
  readonly model: string;
  readonly ggufPath: string;
  /** A snapshot of this client's counters (attempts = calls: nothing is retried in-process). */
  stats(): LlmStats;
  /** Loads the model now (idempotent; concurrent callers share one load), e.g. to fail fast at startup. */
  load(): Promise<LlamaCppModelInfo>;
  /** The tokens a request with this prompt evaluates (its `usage.promptTokens`), and their text with special tokens. */
  tokenizePrompt(prompt: StepPrompt): Promise<{ tokens: number[]; text: string }>;
  /** Frees the model after the running request; later calls fail with a ConflictError. */
  close(): Promise<void>;
}

interface Loaded {
  info: LlamaCppModelInfo;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  renderer: PromptRenderer;
}

let llamaRuntime: Promise<Llama> | undefined;
/** llama.cpp's error log lines (its failures say only "Failed to load model"; the log says why). */
const llamaErrorLog: string[] = [];
let llamaErrorCount = 0;

function logLlama(level: LlamaLogLevel, message: string): void {
  if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
    llamaErrorCount += 1;
    llamaErrorLog.push(message.trim());
    if (llamaErrorLog.length > 8) llamaErrorLog.shift();
  }
  Llama.defaultConsoleLogger(level, message);
}

/** The error lines llama.cpp logged since `mark` (a previous llamaErrorCount), for an error message. */
function llamaErrorsSince(mark: number): string[] {
  return llamaErrorLog.slice(Math.max(0, llamaErrorLog.length - (llamaErrorCount - mark)));
}

/** One llama.cpp runtime per process (prebuilt CPU binary; never builds from source). */
function loadRuntime(): Promise<Llama> {
  const options = { gpu: false, build: "never", logLevel: LlamaLogLevel.warn, logger: logLlama } as const;
  llamaRuntime ??= getLlama(options).catch((error: unknown) => {
    llamaRuntime = undefined;
    throw error;
  });
  return llamaRuntime;
}

/** llama.cpp aborts the process on a duplicate token string, so it is caught before loading. */
function findDuplicate(tokens: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token)) return token;
    seen.add(token);
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createLlamaCppClient(options: LlamaCppClientOptions): LlamaCppClient {
  if (typeof options.ggufPath !== "string" || options.ggufPath.trim() === "") {
    throw new ValidationError(`must name a GGUF file (or set ${LLAMA_CPP_GGUF_ENV})`, "llama.cpp ggufPath");
  }
  requireInteger(options.contextSize, 16, "llama.cpp contextSize");
  requireInteger(options.threads, 1, "llama.cpp threads");
  requireInteger(options.seed, 0, "llama.cpp seed");
  if (options.gpu !== undefined && options.gpu !== false) {
    throw new ValidationError("GPU offload is not supported by the embedded backend; use gpu: false", "llama.cpp gpu");
  }
  const ggufPath = resolve(options.ggufPath);
  const model = basename(ggufPath);
  const url = pathToFileURL(ggufPath).href;
  const inFlight = options.inFlight ?? sharedLlmSemaphore();
  const turn = createSemaphore(1); // llama.cpp contexts are not re-entrant
  const seeds: Random = createRandom(options.seed ?? randomInt(2 ** 32));
  const stats = createLlmStats();
  let loading: Promise<Loaded> | undefined;
  let closed = false;

  const error = (kind: LlmFailureKind, message: string, cause?: unknown): LlmError => {
    const details = { kind, url, status: null, serverMessage: cause === undefined ? null : describe(cause), attempts: 1 };
    return kind === "server-error"
      ? new LlmUnavailableError(message, details, { cause })
      : new LlmConfigError(message, details, { cause });
  };

  async function loadModel(): Promise<Loaded> {
    const started = performance.now();
    const file = await stat(ggufPath).catch((cause: unknown) => {
      throw error("model-not-found", `GGUF model file not found: ${ggufPath} (${describe(cause)})`, cause);
    });
    if (!file.isFile()) throw error("model-not-found", `GGUF model path is not a file: ${ggufPath}`);
    // Parsed in JS first: a bad file becomes an error here instead of a llama.cpp abort of the whole process.
    const fileInfo = await readGgufFileInfo(ggufPath, {
      sourceType: "filesystem",
      readTensorInfo: false,
      logWarnings: false,
    }).catch((cause: unknown) => {
      throw error("model-not-found", `not a readable GGUF model file: ${ggufPath} (${describe(cause)})`, cause);
    });
    const vocab = fileInfo.metadata.tokenizer?.ggml?.tokens;
    const duplicate = Array.isArray(vocab) ? findDuplicate(vocab) : undefined;
    if (duplicate !== undefined) {
      const message = `GGUF model file has a duplicate vocabulary token ${JSON.stringify(duplicate)}: ${ggufPath}`;
      throw error("model-not-found", message);
    }
    const llama = await loadRuntime().catch((cause: unknown) => {
      throw error("endpoint-not-found", `could not start llama.cpp (node-llama-cpp CPU binary): ${describe(cause)}`, cause);
    });
    const mark = llamaErrorCount;
    const loaded = await llama.loadModel({ modelPath: ggufPath, gpuLayers: 0 }).catch(async (cause: unknown) => {
      await new Promise((done) => setTimeout(done, 20)); // llama.cpp's log lines arrive through the event loop
      const why = [describe(cause), ...llamaErrorsSince(mark)].join("; ");
      throw error("model-not-found", `llama.cpp could not load the GGUF model ${ggufPath}: ${why}`, cause);
    });
    try {
      const contextSize = options.contextSize ?? Math.min(loaded.trainContextSize, DEFAULT_LLAMA_CPP_CONTEXT_SIZE);
      const context = await loaded.createContext({ contextSize, sequences: 1, threads: options.threads });
      const renderer = createPromptRenderer(loaded);
      const info: LlamaCppModelInfo = {
        ggufPath,
        model,
        loadMs: performance.now() - started,
        contextSize: context.contextSize,
        trainContextSize: loaded.trainContextSize,
        vocabSize: vocab?.length ?? 0,
        chatFormat: renderer.chatFormat,
      };
      return { info, model: loaded, context, sequence: context.getSequence(), renderer };
    } catch (cause) {
      await loaded.dispose();
      throw error("model-not-found", `llama.cpp could not create a context for ${ggufPath}: ${describe(cause)}`, cause);
    }
  }

  function ensureLoaded(): Promise<Loaded> {
    if (closed) return Promise.reject(new ConflictError(`the llama.cpp client for ${ggufPath} is closed`));
    loading ??= loadModel().catch((cause: unknown) => {
      loading = undefined; // a fixed file can be loaded by a later call
      throw cause;
    });
    return loading;
  }

  function promptTokens(loaded: Loaded, prompt: StepPrompt): Token[] {
    let tokens: Token[];
    try {
      tokens = loaded.renderer.tokens(prompt);
    } catch (cause) {
      throw error("bad-request", `the chat template of ${model} cannot render these messages: ${describe(cause)}`, cause);
    }
    if (tokens.length === 0) throw error("bad-request", "the prompt is empty after tokenization");
    return tokens;
  }

  async function generate(loaded: Loaded, request: StepRequest): Promise<StepResponse> {
    const tokens = promptTokens(loaded, request.prompt);
    const { contextSize } = loaded.info;
    const room = contextSize - tokens.length;
    const maxTokens = request.maxTokens ?? room;
    if (room < 1 || maxTokens > room) {
      throw error(
        "context-too-long",
        `${model}: the context holds ${contextSize} tokens, but the request needs ${tokens.length + maxTokens} ` +
          `(${tokens.length} in the prompt, ${maxTokens} to generate)`,
      );
    }
    const baseSeed = request.seed ?? Math.floor(seeds() * 2 ** 32);
    const choices: StepChoice[] = [];
    let completionTokens = 0;
    for (let index = 0; index < request.n; index += 1) {
      const sample = await sampleContinuation(loaded.model, loaded.sequence, tokens, {
        temperature: request.temperature ?? 1,
        topP: request.topP ?? 1,
        seed: deriveSeed(baseSeed, index),
        maxTokens,
        stop: request.stop ?? [],
        includeStopInOutput: request.includeStopInOutput ?? false,
        signal: request.signal,
      });
      completionTokens += sample.completionTokens;
      choices.push({ index, text: sample.text, finishReason: sample.finishReason, logprobs: null });
    }
    return { choices, usage: { promptTokens: tokens.length, completionTokens }, model };
  }

  async function complete(request: StepRequest): Promise<StepResponse> {
    validateStepRequest(request);
    stats.calls += 1;
    stats.attempts += 1;
    try {
      const loaded = await ensureLoaded();
      const response = await turn.run(async () => {
        if (closed) throw new ConflictError(`the llama.cpp client for ${ggufPath} is closed`);
        return inFlight.run(async () => {
          try {
            return await generate(loaded, request);
          } catch (cause) {
            if (cause instanceof LlmError || request.signal?.aborted) throw cause;
            throw error("server-error", `llama.cpp failed while generating with ${model}: ${describe(cause)}`, cause);
          }
        }, request.signal, request.priority);
      }, request.signal, request.priority);
      stats.promptTokens += response.usage.promptTokens;
      stats.completionTokens += response.usage.completionTokens;
      return response;
    } catch (cause) {
      stats.failures += 1;
      if (cause instanceof LlmError) countFailure(stats, cause.kind);
      throw cause;
    }
  }

  return {
    model,
    ggufPath,
    complete,
    stats: () => copyLlmStats(stats),
    load: async () => (await ensureLoaded()).info,
    async tokenizePrompt(prompt) {
      const loaded = await ensureLoaded();
      const tokens = promptTokens(loaded, prompt);
      return { tokens, text: loaded.model.detokenize(tokens, true) };
    },
    async close() {
      if (closed) return;
      closed = true;
      const pending = loading;
      if (!pending) return;
      const loaded = await pending.catch(() => undefined);
      if (!loaded) return;
      await turn.run(async () => {
        await loaded.context.dispose();
        await loaded.model.dispose();
      });
    },
  };
}
