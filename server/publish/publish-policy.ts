// Publishing a trained policy so the next iteration can search with it:
// - vllm-lora: load the adapter into the running vLLM through its runtime LoRA API (POST /v1/load_lora_adapter;
//   vLLM must run with --enable-lora and VLLM_ALLOW_RUNTIME_LORA_UPDATING=True), confirm it in GET /v1/models, and
//   use the adapter's name as the model. Loading a name that is already there with the same path is a no-op, so a
//   resumed loop can publish again.
// - endpoint: the user serves the new policy themselves; we confirm the given server lists the given model.
import { ConflictError, ValidationError } from "../errors.ts";

export class PublishError extends ConflictError {}

export interface PublishedPolicy {
  baseUrl: string;
  model: string;
}

interface ModelEntry {
  id: string;
  root?: string | null;
  parent?: string | null;
}

/** "http://h:8000/v1" or "http://h:8000" → "http://h:8000" (the runtime LoRA routes live under /v1 of the server). */
function serverRoot(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "").replace(/\/v1$/, "");
}

async function request(url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    throw new PublishError(`${init.method ?? "GET"} ${url} failed: ${(error as Error).message}`);
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; detail?: unknown; error?: { message?: unknown } };
    const message = body.message ?? body.error?.message ?? body.detail;
    if (typeof message === "string") return message;
  } catch {
    /* plain text */
  }
  return text.slice(0, 500);
}

export async function listServedModels(baseUrl: string, options: { apiKey?: string; timeoutMs?: number } = {}): Promise<ModelEntry[]> {
  const url = `${serverRoot(baseUrl)}/v1/models`;
  const reply = await request(url, { headers: authHeaders(options.apiKey) }, options.timeoutMs ?? 30_000);
  if (reply.status !== 200) throw new PublishError(`GET ${url} answered ${reply.status}: ${errorMessage(reply.text)}`);
  const data = (JSON.parse(reply.text) as { data?: ModelEntry[] }).data;
  if (!Array.isArray(data)) throw new PublishError(`GET ${url} did not return a model list`);
  return data;
}

function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

export interface LoraPublish {
  baseUrl: string;
  loraName: string;
  /** The adapter folder, as the vLLM server sees it (a shared file system when vLLM runs elsewhere). */
  loraPath: string;
  apiKey?: string;
  timeoutMs?: number;
}

export async function publishVllmLora(input: LoraPublish): Promise<PublishedPolicy> {
  const root = serverRoot(input.baseUrl);
  const timeoutMs = input.timeoutMs ?? 120_000;
  const before = await listServedModels(input.baseUrl, input);
  const existing = before.find((m) => m.id === input.loraName);
  if (existing) {
    if (existing.root === input.loraPath) return { baseUrl: input.baseUrl, model: input.loraName };
    throw new PublishError(`vLLM at ${root} already serves a model named '${input.loraName}'${existing.root ? ` (from ${existing.root})` : ""}; choose another adapter name or unload it (POST /v1/unload_lora_adapter)`);
  }
  const reply = await request(
    `${root}/v1/load_lora_adapter`,
    { method: "POST", headers: { "content-type": "application/json", ...authHeaders(input.apiKey) }, body: JSON.stringify({ lora_name: input.loraName, lora_path: input.loraPath }) },
    timeoutMs,
  );
  if (reply.status === 404) {
    throw new PublishError(
      `vLLM at ${root} has no runtime LoRA API (POST /v1/load_lora_adapter answered 404): start it with --enable-lora and the environment variable VLLM_ALLOW_RUNTIME_LORA_UPDATING=True, or publish with kind "endpoint"`,
    );
  }
  if (reply.status !== 200) {
    const message = errorMessage(reply.text);
    const hint = /already been loaded/i.test(message) ? "the name is taken; choose another adapter name" : /no adapter found|not found|does not exist/i.test(message) ? `is ${input.loraPath} visible to the vLLM server?` : null;
    throw new PublishError(`vLLM refused to load adapter '${input.loraName}' from ${input.loraPath} (${reply.status}): ${message}${hint ? ` — ${hint}` : ""}`);
  }
  const after = await listServedModels(input.baseUrl, input);
  if (!after.some((m) => m.id === input.loraName)) throw new PublishError(`vLLM at ${root} accepted adapter '${input.loraName}' but does not list it in GET /v1/models`);
  return { baseUrl: input.baseUrl, model: input.loraName };
}

/** The user's own server for the new policy: it must list the model. */
export async function publishEndpoint(input: { baseUrl: string; model: string; apiKey?: string }, field = "publish.endpoints"): Promise<PublishedPolicy> {
  const served = await listServedModels(input.baseUrl, input).catch((error) => {
    throw new ValidationError((error as Error).message, field);
  });
  if (!served.some((m) => m.id === input.model)) {
    throw new ValidationError(`${serverRoot(input.baseUrl)} does not serve '${input.model}' (it lists ${served.map((m) => m.id).join(", ") || "nothing"})`, field);
  }
  return { baseUrl: input.baseUrl, model: input.model };
}
