// The inspector's PRM section: the node's PRM score and what produced it, its rollout labels (hard and visit-weighted), and for a
// terminal the combined reward ϕ of its path. Every number carries its definition.
import type { ReactNode } from "react";
import { LABEL_DEFINITIONS, PHI_DEFINITION, PRM_MODE_DEFINITIONS, STEP_SCORE_DEFINITIONS } from "@/server/definitions";
import type { NodePrmView } from "../router-types";
import { Badge } from "../ui/badge";
import { formatCount, formatDecimal } from "./format";

const MODE_LABELS = { none: "no PRM", rollout: "rollout labels", served: "served PRM", judge: "LLM judge" } as const;
/** Marks a step reward that is not a PRM score (the definitions are in STEP_SCORE_DEFINITIONS). */
const STEP_SOURCE_MARK = { prm: "", value: "ᵛ", "visit-weighted": "ʷ" } as const;
const T_SOURCE = { option: "given", config: "from the config", iteration: "the lineage iteration", default: "none given" } as const;

export function NodePrmSection({ prm, isRoot }: { prm: NodePrmView; isRoot: boolean }) {
  const { labels, combined } = prm;
  return (
    <section className="flex flex-col gap-2" data-testid="node-prm">
      <div className="flex items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-800">Process reward</h3>
        <Badge tone="indigo" title={PRM_MODE_DEFINITIONS[prm.mode]}>
          {MODE_LABELS[prm.mode]}
        </Badge>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
        <Item term="PRM score" title={PRM_MODE_DEFINITIONS[prm.mode]} testId="node-prm-score">
          {prm.score !== null ? formatDecimal(prm.score, 3) : prm.mode === "none" ? "— (no PRM)" : isRoot ? "— (the root is no step)" : "— (not scored)"}
        </Item>
        <Item term="Hard label" title={LABEL_DEFINITIONS.hard}>
          {labels.hard === null ? "— (no terminal below)" : labels.hard ? "1 (a completion passes)" : "0 (none passes)"}
        </Item>
        <Item term="Visit-weighted label" title={LABEL_DEFINITIONS.visitWeighted}>
          {labels.visitWeighted === null ? "—" : `${formatDecimal(labels.visitWeighted, 3)} (${formatCount(labels.passing)}/${formatCount(labels.completions)} completions pass)`}
        </Item>
      </dl>
      {combined ? (
        <div className="text-sm" title={PHI_DEFINITION} data-testid="node-phi">
          <div className="text-xs text-slate-500">Combined reward ϕ of this path</div>
          <div className="tabular-nums text-slate-900">
            ϕ = {formatDecimal(combined.phi, 3)} with α(t={formatDecimal(combined.t, 0)}, {T_SOURCE[combined.phiTSource]}) = {formatDecimal(combined.phiAlpha, 3)}, γ = {formatDecimal(combined.gamma, 2)}, R ={" "}
            {formatDecimal(combined.outcome, 3)}
          </div>
          <div className="text-xs text-slate-500">
            r¹…r<sup>m</sup> = {combined.stepRewards.map((r, j) => `${formatDecimal(r, 2)}${STEP_SOURCE_MARK[combined.stepSources[j]!]}`).join(", ")}{" "}
            (ᵛ: value Q/N, ʷ: visit-weighted label, unmarked: PRM score). {STEP_SCORE_DEFINITIONS[combined.stepScore]} {PHI_DEFINITION}
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Item({ term, title, testId, children }: { term: string; title: string; testId?: string; children: ReactNode }) {
  return (
    <div title={title} data-testid={testId}>
      <dt className="text-xs text-slate-500">{term}</dt>
      <dd className="tabular-nums text-slate-900">{children}</dd>
    </div>
  );
}
