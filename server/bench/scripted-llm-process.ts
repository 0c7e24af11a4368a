// The scripted OpenAI-compatible server in a process of its own, for `o1c bench engine`: a real LLM server never
// runs on the engine's thread, so neither should its stand-in when the engine's CPU cost is what is measured.
// Speaks to the parent over IPC: sends { url } once listening and warmed up; answers "stats" with the completion
// prompts it received and the most requests it had in flight; exits on "close".
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { startScriptedOpenAiServer, type RecordedRequest, type ScriptedProblem, type ScriptedServer } from "../dev-tools/index.ts";
import { createOpenAiClient, createSemaphore } from "../llm/index.ts";

export interface ScriptedLlmSpec {
  problems: ScriptedProblem[];
  model: string;
  latencyMs: number;
  /**
   * Samples the requests in flight every IN_FLIGHT_SAMPLE_MS (for the saturation figures). Off, the process wakes
   * only for requests: 200 timer wake-ups a second would be a cost of the stand-in counted per node.
   */
  sampleInFlight: boolean;
}

export type ScriptedLlmMessage = { url: string } | { prompts: string[]; maxInFlight: number; inFlightSamples: number[] };

/** How often the requests in flight are sampled (for the steady-state figure). */
export const IN_FLIGHT_SAMPLE_MS = 5;

/** The prompt of a completion request as one string: chat messages joined by NUL, or the raw text prompt. */
export function promptOf(request: RecordedRequest): string {
  const body = request.body as { messages?: Array<{ content: string }>; prompt?: string };
  return body.messages ? body.messages.map((m) => m.content).join("\u0000") : String(body.prompt ?? "");
}

/** Requests the server answers to itself before it reports its URL (see warmUp). */
const WARM_UP_REQUESTS = 2000;

/**
 * A real LLM server has long been running when an experiment starts; a freshly started stand-in runs its request
 * handling in V8's slow tiers for its first thousand requests or so, which the bench would count as the LLM server's
 * cost per node (about half of it, at zero latency). So it first answers requests shaped like the engine's (a
 * pseudocode chat continuation of one of its problems, step 1 to 4, n = 3) over its own HTTP port, then forgets them.
 */
async function warmUp(server: ScriptedServer, spec: ScriptedLlmSpec) {
  // The engine's own client, so the requests are shaped as the engine's are (16 at once, as the bench's worker slots).
  const client = createOpenAiClient({ baseUrl: server.url, model: spec.model, maxRetries: 0, inFlight: createSemaphore(16) });
  const request = (i: number) =>
    client.complete({
      prompt: {
        kind: "chat",
        messages: [
          { role: "user", content: `Choose <Action 1>, <Action 2> or <Action 3> for each step.\n\n### Question\n${spec.problems[i % spec.problems.length]!.snippet}` },
          { role: "assistant", content: `<Step_Begin>\n### Step ${(i % 4) + 1}:` },
        ],
      },
      n: 3,
      stop: ["<Step_End>"],
      maxTokens: 1024,
      seed: i,
    });
  await Promise.all(Array.from({ length: WARM_UP_REQUESTS }, (_, i) => request(i)));
  server.requests.length = 0;
  server.concurrency.max = 0;
}

async function main() {
  const spec = JSON.parse(await readFile(process.argv[2]!, "utf8")) as ScriptedLlmSpec;
  // Warmed up without latency: the requests only need to run the handling code.
  const server = await startScriptedOpenAiServer({ problems: spec.problems, models: [spec.model], latencyMs: 0 });
  await warmUp(server, spec);
  server.setLatency(spec.latencyMs);
  const inFlightSamples: number[] = [];
  const sampler = spec.sampleInFlight
    ? setInterval(() => {
        if (server.requests.length > 0) inFlightSamples.push(server.concurrency.current);
      }, IN_FLIGHT_SAMPLE_MS)
    : undefined;
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
