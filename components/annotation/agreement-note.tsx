// Who else judged this pair, and how often annotators agree; hidden in blind mode until you judged it yourself,
// so other people's verdicts do not anchor yours.
import type { PairDetail, JudgementView, ExperimentAgreement } from "../router-types";
import { percent } from "../experiments/metric";
import { InfoMark } from "../ui/info-mark";

export function verdictText(judgement: JudgementView, pair: Pick<PairDetail, "a" | "b">): string {
  if (judgement.verdict === "TIE") return "tie";
  if (judgement.verdict === "BOTH_BAD") return "both bad";
  return judgement.chosenNodeId === pair.a.id ? "A better" : "B better";
}

export function PairAgreementNote({ pair, annotator, blind }: { pair: PairDetail; annotator: string; blind: boolean }) {
  const others = pair.judgements.filter((j) => j.annotator !== annotator);
  if (others.length === 0) return <p className="text-xs text-slate-500" data-testid="pair-agreement">No other annotator has judged this pair.</p>;
  if (blind && !pair.mine) {
    return (
      <p className="text-xs text-slate-500" data-testid="pair-agreement">
        {others.length} other annotator{others.length === 1 ? "" : "s"} judged this pair; their verdicts show once you have judged it (blind mode).
      </p>
    );
  }
  const { agreeingPairs, annotatorPairs, share } = pair.agreement;
  return (
    <div className="text-xs text-slate-600" data-testid="pair-agreement">
      <span title="Annotator pairs giving the same verdict (A better, B better, tie, both bad) / all annotator pairs on this step pair">
        Agreement on this pair: {agreeingPairs} of {annotatorPairs} annotator pairs ({percent(share, 0)})
        <InfoMark />
      </span>
      <ul className="mt-1 flex flex-wrap gap-x-4">
        {others.map((j) => (
          <li key={j.id}>
            <span className="font-medium">{j.annotator || "(anonymous)"}</span>: {verdictText(j, pair)}
            {j.note ? <span className="text-slate-500"> — “{j.note}”</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ExperimentAgreementNote({ agreement }: { agreement: ExperimentAgreement | undefined }) {
  if (!agreement || agreement.multiplyJudgedPairs === 0) {
    return (
      <span className="text-xs text-slate-500" data-testid="experiment-agreement" title="Needs pairs judged by at least two annotators">
        agreement: — (no pair has two annotators yet)
      </span>
    );
  }
  return (
    <span
      className="text-xs tabular-nums text-slate-600"
      data-testid="experiment-agreement"
      title={
        "Observed agreement: the mean, over pairs judged by ≥ 2 annotators, of the share of annotator pairs giving the same verdict. " +
        "Fleiss' κ corrects it for chance: (observed − chance) / (1 − chance), chance from how often each verdict was used."
      }
    >
      agreement {percent(agreement.observedAgreement, 0)} over {agreement.multiplyJudgedPairs} pairs · Fleiss κ{" "}
      {agreement.fleissKappa === null ? "—" : agreement.fleissKappa.toFixed(2)} · {agreement.annotators.length} annotators
      <InfoMark />
    </span>
  );
}
