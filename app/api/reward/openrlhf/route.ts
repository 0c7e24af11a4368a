// OpenRLHF's remote reward model endpoint (--remote_rm_url http://host:3000/api/reward/openrlhf): POST
// {query, prompts, labels} → {rewards, scores, extra_logs}. A label names a problem ("mbpp/11"); the reward is the
// search reward on its search-visible tests. The token rules of `o1c serve` apply as to every request.
import { rewardHttpResponse } from "@/server/reward";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return rewardHttpResponse(await req.text());
}
