import { TCG_DEFINITIONS } from "@/server/contracts";
import type { AgreementReport } from "../router-types";
import { percent } from "../experiments/metric";

export { TCG_DEFINITIONS };

/** "87.5% (14/16 caught)" or "–" with the reason in the tooltip. */
export function agreementText(agreement: AgreementReport | undefined): string {
  if (!agreement || agreement.agreement === null) return "–";
  return `${percent(agreement.agreement)} · ${agreement.caught}/${agreement.wrong} caught`;
}

export function agreementTitle(agreement: AgreementReport | undefined): string {
  const why = agreement?.agreement === null ? `\n\nNot available: ${agreement.reason}` : "";
  const counts =
    agreement && agreement.agreement !== null
      ? `\n\n${agreement.candidates} candidate programs over ${agreement.problems} problems: ${agreement.wrong} wrong (fail a hidden test), ${agreement.caught} of them caught by the generated cases; ${agreement.correct} correct, ${agreement.falselyRejected} of them rejected by a generated case.`
      : "";
  return `${TCG_DEFINITIONS.agreement}${counts}${why}`;
}
