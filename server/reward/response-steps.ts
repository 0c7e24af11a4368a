// The reasoning steps of a completion, for the PRM term of ϕ: in the pseudocode format each step is framed as
// "<Step_Begin>\n### Step k:<text><Step_End>" (server/reasoning/step-format.ts) and the PRM sees <text>, as in the
// search; a completion without that framing is one step.
import { STEP_BEGIN, STEP_END } from "../reasoning/index.ts";

const STEP = new RegExp(`${STEP_BEGIN}\\n### Step \\d+:([\\s\\S]*?)(?:${STEP_END}|(?=${STEP_BEGIN})|$)`, "g");

export function responseSteps(response: string): string[] {
  if (!response.includes(STEP_BEGIN)) return response.trim() === "" ? [] : [response];
  return [...response.matchAll(STEP)].map((m) => m[1]!);
}
