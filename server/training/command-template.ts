// Command templates for training jobs: `python3 train.py {recipe} --data {data} --output {output}`. Every placeholder
// is replaced by its value single-quoted for /bin/sh, so a path with spaces, quotes or `$(…)` stays one literal
// argument: substitution can never inject shell syntax. Templates are checked before anything runs: an unknown
// placeholder or one already inside quotes (which the quoting would break) is a ValidationError naming the field.
import { PLACEHOLDER, checkCommandTemplate, shellQuote, type Placeholder, type PlaceholderValues } from "../contracts/index.ts";

export function renderCommand(template: string, values: PlaceholderValues, field = "command"): string {
  checkCommandTemplate(template, field);
  return template.replace(PLACEHOLDER, (_, name: Placeholder) => shellQuote(values[name]));
}
