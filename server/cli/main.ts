// The `o1c` command line. Each command lives in its own file under ./commands and is listed here.
import { AppError, ValidationError } from "../errors.ts";
import { CliUsageError, type Command } from "./command.ts";
import { benchCommand } from "./commands/bench.ts";
import { compareCommand } from "./commands/compare.ts";
import { datasetsCommand } from "./commands/datasets.ts";
import { dbCommand } from "./commands/db.ts";
import { experimentsCommand } from "./commands/experiments.ts";
import { exportCommand } from "./commands/export.ts";
import { importCommand } from "./commands/import.ts";
import { lineageCommand } from "./commands/lineage.ts";
import { loopCommand } from "./commands/loop.ts";
import { runCommand } from "./commands/run.ts";
import { serveCommand } from "./commands/serve.ts";
import { tcgCommand } from "./commands/tcg.ts";
import { workerCommand } from "./commands/worker.ts";

/** Every command, in `o1c --help` order (exported so a test can check each one's help text). */
export const COMMANDS: Command[] = [serveCommand, importCommand, datasetsCommand, runCommand, experimentsCommand, compareCommand, tcgCommand, exportCommand, lineageCommand, loopCommand, workerCommand, benchCommand, dbCommand];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    "o1c — O1-Coder Studio command line",
    "",
    "Usage: o1c <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
    "Database: DATABASE_URL=postgresql://… uses that PostgreSQL server; unset, an embedded PostgreSQL (PGlite)",
    "keeps its data in .data/ (O1C_DATA_DIR overrides). Run `o1c <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(helpText());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`o1c: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return reportError(command, error);
  }
}

function reportError(command: Command, error: unknown): number {
  if (error instanceof CliUsageError) {
    console.error(`o1c ${command.name}: ${error.message}\n\n${command.help}`);
    return 2;
  }
  if (error instanceof ValidationError || error instanceof AppError) {
    console.error(`o1c ${command.name}: error: ${error.message}`);
    return 1;
  }
  console.error(`o1c ${command.name}: unexpected error:`, error);
  return 1;
}
