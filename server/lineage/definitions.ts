// What the lineage page's own numbers mean. Pass@1, ASPR and tokens use METRIC_DEFINITIONS (server/search/metrics.ts);
// the TCG validity rate itself is TCG_DEFINITIONS.validityRate (server/tcg/tcg-report.ts).
import { TCG_DEFINITIONS } from "../tcg/tcg-report.ts";

export const LINEAGE_DEFINITIONS = {
  iteration:
    "Iteration: the self-play round. 0 is the base policy; the policy of iteration k+1 was trained (outside this app, " +
    "e.g. with TRL) on data exported from iteration k and registered as a new endpoint.",
  trainedOn: "Trained on: what the researcher recorded this iteration's policy was trained on (free text).",
  tcgValidity:
    "TCG validity: the validity rate of the latest completed Test Case Generator run on the same dataset with the " +
    "same model name as the experiment (– when there is no such run). " +
    TCG_DEFINITIONS.validityRate,
  judgements:
    "Judgements: human step-preference judgements recorded on this experiment's trees (one per sibling pair and " +
    "annotator; search-derived preferences are not counted).",
  annotators: "Annotators: distinct annotator names among those judgements (an unnamed annotator counts as one).",
  delta:
    "Δ: the change from the previous iteration's experiment with the same dataset and reasoning mode (the nearest lower " +
    "iteration that has one; the latest created if several). Percentages change in points.",
} as const;

/** How an iteration's TCG validity is found, in one sentence for the CLI and the UI. */
export const TCG_VALIDITY_RULE = LINEAGE_DEFINITIONS.tcgValidity;
