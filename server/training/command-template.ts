// Command templates for training jobs: `python3 train.py {recipe} --data {data} --output {output}`. Every placeholder
// is replaced by its value single-quoted for /bin/sh, so a path with spaces, quotes or `$(…)` stays one literal
// argument: substitution can never inject shell syntax. Templates are checked before anything runs: an unknown
// placeholder or one already inside quotes (which the quoting would break) is a ValidationError naming the field.
import { ValidationError } from "../errors.ts";

export const PLACEHOLDERS = ["recipe", "data", "output", "base_model", "iteration", "init", "recipes_dir"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

// `{name}` not preceded by `$` (so `${HOME}` stays the shell's).
const PLACEHOLDER = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

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

/** One argument for /bin/sh: single quotes, with each ' written as '\'' . */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function renderCommand(template: string, values: PlaceholderValues, field = "command"): string {
  checkCommandTemplate(template, field);
  return template.replace(PLACEHOLDER, (_, name: Placeholder) => shellQuote(values[name]));
}
