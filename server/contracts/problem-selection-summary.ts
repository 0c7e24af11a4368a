// What a `problems` selection picks from a dataset of a given size, said before launch: the form's "N problems
// selected: …" line and the server's refusal of an empty or out-of-range selection use these same words.
import type { ProblemSelection } from "./experiment-config.ts";

export type SelectionSummary = { ok: true; count: number; text: string } | { ok: false; error: string };

/** Positions are 1-based in dataset order; ids are checked against the dataset by the server only. */
export function summarizeProblemSelection(selection: ProblemSelection, datasetSize: number): SelectionSummary {
  const problems = (n: number) => `${n} problem${n === 1 ? "" : "s"}`;
  if (datasetSize === 0) return { ok: false, error: "the dataset has no problems: import some first" };
  switch (selection.kind) {
    case "all":
      return { ok: true, count: datasetSize, text: `${problems(datasetSize)} selected: the whole dataset` };
    case "range":
      if (selection.to > datasetSize) {
        return {
          ok: false,
          error: `positions ${selection.from}–${selection.to} go past the end of the dataset: it has ${problems(datasetSize)} (positions 1–${datasetSize})`,
        };
      }
      return {
        ok: true,
        count: selection.to - selection.from + 1,
        text: `${problems(selection.to - selection.from + 1)} selected: positions ${selection.from}–${selection.to} of ${datasetSize}`,
      };
    case "sample":
      if (selection.count > datasetSize) return { ok: false, error: `cannot sample ${selection.count} problems: the dataset has ${problems(datasetSize)}` };
      return { ok: true, count: selection.count, text: `${problems(selection.count)} selected: a seeded sample (seed ${selection.seed}) of ${datasetSize}` };
    case "ids":
      return { ok: true, count: selection.ids.length, text: `${problems(selection.ids.length)} selected by id, of ${datasetSize}` };
  }
}

/** A selection in a few characters, for names and titles: "1–3", "#7", "sample of 20 (seed 0)", "ids 11, 12, 17", "all". */
export function problemSelectionLabel(selection: ProblemSelection): string {
  switch (selection.kind) {
    case "all":
      return "all";
    case "range":
      return selection.from === selection.to ? `#${selection.from}` : `${selection.from}–${selection.to}`;
    case "sample":
      return `sample of ${selection.count} (seed ${selection.seed})`;
    case "ids":
      return `ids ${selection.ids.slice(0, 3).join(", ")}${selection.ids.length > 3 ? ` +${selection.ids.length - 3}` : ""}`;
  }
}
