// Where the reward route finds the process's reward service: `o1c serve` makes it (with a sandbox created outside
// Next's bundle) and registers it on globalThis, which bundled route modules share.
import { rewardErrorAnswer, type RewardService } from "./reward-service.ts";
import { RewardRequestError } from "./reward-request.ts";

const registry = globalThis as unknown as { __o1cRewardService?: RewardService };

export function registerRewardService(service: RewardService | undefined) {
  registry.__o1cRewardService = service;
}

/** The route's whole handling: 200 with the rewards, or the request error's status and message as JSON. */
export async function rewardHttpResponse(bodyText: string): Promise<Response> {
  const service = registry.__o1cRewardService;
  const answer = service ? await service.respond(bodyText) : rewardErrorAnswer(new RewardRequestError(503, "this server process serves no rewards (start it with `o1c serve`)"));
  return Response.json(answer.body, { status: answer.status });
}
