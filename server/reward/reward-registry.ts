// Where the reward route finds the process's reward service: `o1c serve` makes it (with a sandbox created outside
// Next's bundle) and registers it on globalThis, which bundled route modules share.
import { AppError, errorCode, HTTP_STATUS } from "../errors.ts";
import type { RewardService } from "./reward-service.ts";
import { RewardRequestError } from "./reward-request.ts";

const registry = globalThis as unknown as { __o1cRewardService?: RewardService };

export function registerRewardService(service: RewardService | undefined) {
  registry.__o1cRewardService = service;
}

/**
 * The route's whole handling: 200 with the rewards, or `{error, where}` with the status of a bad request
 * (RewardRequestError) or of another domain error (a sandbox that cannot start); anything else is a bug (500).
 */
export async function rewardHttpResponse(bodyText: string): Promise<Response> {
  const service = registry.__o1cRewardService;
  try {
    if (!service) throw new RewardRequestError(503, "this server process serves no rewards (start it with `o1c serve`)");
    return Response.json(await service.score(bodyText));
  } catch (error) {
    if (error instanceof RewardRequestError) return Response.json({ error: error.message, where: error.where ?? null }, { status: error.status });
    if (error instanceof AppError) return Response.json({ error: error.message, where: null }, { status: HTTP_STATUS[errorCode(error)] });
    throw error;
  }
}
