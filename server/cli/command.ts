import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseProblemSelection, type ProblemSelection } from "../contracts/index.ts";
import { ValidationError } from "../errors.ts";

export interface Command {
  name: string;
  /** One line for `o1c --help`, e.g. "import <file> --format F [--name N]". */
  usage: string;
  summary: string;
  /** Full text for `o1c <name> --help`. */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Wrong flags or arguments: printed with the command's help, exit code 2. */
export class CliUsageError extends Error {}

/** node:util parseArgs with its errors turned into usage errors. */
export function parseCommandArgs<T extends ParseArgsConfig["options"]>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** A flag's value as parseArgs gives it (the commands' loose flag records allow all three types). */
export type FlagValue = string | boolean | string[] | undefined;

/**
 * `--problems 1-50 | 7 | id,id | all`, shared by run, compare and tcg; absent or empty means every problem. A bad value
 * is a usage error (exit 2, with the help) that names the flag and the value the user typed, not an internal error.
 */
export function problemsFlag(flag: FlagValue): ProblemSelection | undefined {
  if (!flag) return undefined;
  const text = String(flag);
  try {
    return parseProblemSelection(text);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliUsageError(`--problems ${text}: ${error.reason}`);
    throw error;
  }
}

/** A plain-text table: columns padded to their widest cell. */
export function tableLines(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

export function printTable(header: string[], rows: string[][]) {
  for (const line of tableLines(header, rows)) console.log(line);
}
