// Where a record came from. It travels in a `provenance` column that TRL's trainers do not read. Every record of one
// export has the same provenance keys (null where a key does not apply), because `datasets` infers one Arrow schema
// for a JSONL file and a struct whose fields come and go between lines fails to load.
import type { ExportExperiment, ExportTree } from "./export-tree.ts";

export interface BaseProvenance {
  experimentId: string;
  experimentName: string;
  dataset: string;
  problemId: string;
  /** The dataset's own id of the problem (MBPP task_id, "HumanEval/0", ...). */
  problemExternalId: string;
  treeId: string;
  /** The policy model that generated the steps. */
  model: string;
  /** Reasoning mode and prompt template (e.g. "pseudocode@1"). */
  mode: string;
  templateId: string;
  /** Self-play lineage and iteration of the experiment (null outside a lineage). */
  lineageId: string | null;
  iteration: number | null;
}

export function baseProvenance(experiment: ExportExperiment, tree: ExportTree): BaseProvenance {
  return {
    experimentId: experiment.id,
    experimentName: experiment.name,
    dataset: experiment.datasetName,
    problemId: tree.problem.id,
    problemExternalId: tree.problem.externalId,
    treeId: tree.id,
    model: experiment.model,
    mode: experiment.mode,
    templateId: tree.rootPrompt.templateId,
    lineageId: experiment.lineageId,
    iteration: experiment.iteration,
  };
}
