// The scripted OpenAI-compatible server in a process of its own, for `o1c bench engine`: a real LLM server never
// runs on the engine's thread, so neither should its stand-in when the engine's CPU cost is what is measured.
// Speaks to the parent over IPC: sends { url } once listening; answers "stats" with the completion prompts it
// received and the most requests it had in flight; exits on "close".
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { startScriptedOpenAiServer, type RecordedRequest, type ScriptedProblem } from "../dev-tools/index.ts";

export interface ScriptedLlmSpec {
  problems: ScriptedProblem[];
  model: string;
  latencyMs: number;
}

export type ScriptedLlmMessage = { url: string } | { prompts: string[]; maxInFlight: number; inFlightSamples: number[] };

/** How often the requests in flight are sampled (for the steady-state figure). */
export const IN_FLIGHT_SAMPLE_MS = 5;

/** The prompt of a completion request as one string: chat messages joined by NUL, or the raw text prompt. */
export function promptOf(request: RecordedRequest): string {
  const body = request.body as { messages?: Array<{ content: string }>; prompt?: string };
  return body.messages ? body.messages.map((m) => m.content).join("\u0000") : String(body.prompt ?? "");
}

async function main() {
  const spec = JSON.parse(await readFile(process.argv[2]!, "utf8")) as ScriptedLlmSpec;
  const server = await startScriptedOpenAiServer({ problems: spec.problems, models: [spec.model], latencyMs: spec.latencyMs });
  const inFlightSamples: number[] = [];
  const sampler = setInterval(() => {
    if (server.requests.length > 0) inFlightSamples.push(server.concurrency.current);
  }, IN_FLIGHT_SAMPLE_MS);
  process.on("message", (message) => {
    if (message === "stats") {
      clearInterval(sampler);
      const prompts = server.requests.filter((r) => r.method === "POST" && r.path.endsWith("/completions") && r.fault === null).map(promptOf);
      process.send!({ prompts, maxInFlight: server.concurrency.max, inFlightSamples } satisfies ScriptedLlmMessage);
    } else if (message === "close") {
      void server.close().then(() => process.exit(0));
    }
  });
  process.send!({ url: server.url } satisfies ScriptedLlmMessage);
}

// Only as the forked process's entry module (engine.ts imports this file for its constants).
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
