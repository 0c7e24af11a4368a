// The training section's contract: which backends and recipes a loop may name, the default command template and its
// placeholders, and the template check (browser-safe: the form validates the same way the server does).
import { ValidationError } from "../errors.ts";

export const TRAINING_BACKENDS = ["command", "ray"] as const;
export type TrainingBackendName = (typeof TRAINING_BACKENDS)[number];

/** What a loop's `training.recipes` lists, in order. `tcg` is two jobs: SFT on the valid cases, then DPO. */
export const LOOP_RECIPES = ["sft", "dpo", "prm", "tcg"] as const;
export type LoopRecipe = (typeof LOOP_RECIPES)[number];

/** The default command template: the shipped TRL script. */
export const DEFAULT_COMMAND_TEMPLATE = "python3 {recipes_dir}/o1c_trl_train.py {recipe} --model {base_model} --data {data} --output {output} --init {init}";

export const PLACEHOLDERS = ["recipe", "data", "output", "base_model", "iteration", "init", "recipes_dir"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

// `{name}` not preceded by `$` (so `${HOME}` stays the shell's).
export const PLACEHOLDER = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** One argument for /bin/sh: single quotes, with each ' written as '\'' (templates' placeholders; the CLI hints). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Checks a template; `field` names it in errors (e.g. "loop.json field training.command"). */
export function checkCommandTemplate(template: string, field: string): void {
  if (template.trim() === "") throw new ValidationError("is empty", field);
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new ValidationError(`unknown placeholder {${name}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")})`, field);
    }
    const before = template[match.index - 1];
    const after = template[match.index + match[0].length];
    if (before === "'" || before === '"' || after === "'" || after === '"') {
      throw new ValidationError(`do not quote {${name}}: every placeholder is substituted already quoted`, field);
    }
  }
}

