// The training recipes shipped with the app: which export feeds each one, what it starts from and what it produces.
// Every recipe runs recipes/o1c_trl_train.py (TRL's SFTTrainer / DPOTrainer / PRMTrainer with a LoRA adapter) by
// default; a loop may give its own command template instead (e.g. `trl sft …`), with the same placeholders.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoopRecipe } from "../contracts/index.ts";
import type { ExportParams } from "../exports/index.ts";


export type RecipeId = "sft" | "dpo" | "prm" | "tcg-sft" | "tcg-dpo";

export interface Recipe {
  id: RecipeId;
  /** What the output is: the next policy (published), the PRM, or the test case generator. */
  target: "policy" | "prm" | "tcg";
  /** The export that feeds it (the options of `o1c export`, minus experiment and output). */
  export: Omit<ExportParams, "experiment">;
  /** The export file's name in the iteration's data folder. */
  dataFile: string;
  /** Starts from this recipe's adapter when it ran earlier in the same iteration (DPO after SFT). */
  startsFrom: RecipeId | null;
  summary: string;
}

export const RECIPES: Record<RecipeId, Recipe> = {
  sft: {
    id: "sft",
    target: "policy",
    export: { format: "sft" },
    dataFile: "sft.jsonl",
    startsFrom: null,
    summary: "policy SFT (TRL SFTTrainer, LoRA) on the paths whose code passes the search-visible tests",
  },
  dpo: {
    id: "dpo",
    target: "policy",
    export: { format: "dpo", source: "both" },
    dataFile: "dpo.jsonl",
    startsFrom: "sft",
    summary: "policy DPO (TRL DPOTrainer) on sibling steps, continuing the SFT adapter with itself as the reference",
  },
  prm: {
    id: "prm",
    target: "prm",
    export: { format: "prm", labels: "hard" },
    dataFile: "prm.jsonl",
    startsFrom: null,
    summary: "process reward model (TRL PRMTrainer, token classification) on the stepwise export",
  },
  "tcg-sft": {
    id: "tcg-sft",
    target: "tcg",
    export: { format: "tcg-dpo" },
    dataFile: "tcg-dpo.jsonl",
    startsFrom: null,
    summary: "test case generator SFT on the valid generated cases (the chosen side of the TCG-DPO export)",
  },
  "tcg-dpo": {
    id: "tcg-dpo",
    target: "tcg",
    export: { format: "tcg-dpo" },
    dataFile: "tcg-dpo.jsonl",
    startsFrom: "tcg-sft",
    summary: "test case generator DPO on valid vs. corrupted cases, continuing the TCG SFT adapter",
  },
};

/** A loop's recipe list as jobs, in order (`tcg` becomes its SFT and DPO jobs). */
export function expandLoopRecipes(recipes: readonly LoopRecipe[]): Recipe[] {
  return recipes.flatMap((r) => (r === "tcg" ? [RECIPES["tcg-sft"], RECIPES["tcg-dpo"]] : [RECIPES[r]]));
}

export const RECIPES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "recipes");

