// What the components show, typed as the tRPC routers return it (RouterOutputs), so no component imports a service's
// own types: a change of a read model shows up here as a type error, not as a silently different shape.
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api";

export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type PairDetail = RouterOutputs["annotation"]["pair"];
export type PairStep = PairDetail["a"];
export type JudgementView = PairDetail["judgements"][number];
export type QueuedPair = RouterOutputs["annotation"]["queue"]["items"][number];
export type ExperimentAgreement = RouterOutputs["annotation"]["agreement"];
export type PreferenceVerdict = JudgementView["verdict"];
export type TcgProblemRow = RouterOutputs["tcg"]["get"]["problemRows"][number];
export type { TreeNodeView } from "@/server/contracts";
export type TestTally = NonNullable<import("@/server/contracts").TreeNodeView["visible"]>;
export type NodePrmView = RouterOutputs["experiments"]["node"]["prm"];
export type IterationGroup = RouterOutputs["lineages"]["get"]["iterations"][number];
export type IterationRow = IterationGroup["rows"][number];
export type AgreementReport = NonNullable<RouterOutputs["tcg"]["get"]["report"]>["agreement"];
