// Every repository file a command's --help points the user to exists: `o1c run --help` sent new users to a
// server/runs/experiment-config.ts that was never there.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../server/cli/main.ts";

/** A path into this repository as help texts write one: a top-level folder, then at least one segment. */
const REPO_PATH = /\b(?:app|bin|components|e2e|prisma|recipes|scripts|server|test|tools)\/[\w./[\]-]*[\w\]]/g;

describe("o1c <command> --help", () => {
  it("names only repository paths that exist", () => {
    const named = COMMANDS.flatMap((command) => (command.help.match(REPO_PATH) ?? []).map((file) => ({ command: command.name, file })));
    for (const { command, file } of named) expect(existsSync(file), `o1c ${command} --help names ${file}`).toBe(true);
    // Not vacuous: the pattern finds the path run --help gives for the config fields.
    expect(named).toContainEqual({ command: "run", file: "server/contracts/experiment-config.ts" });
  });
});
