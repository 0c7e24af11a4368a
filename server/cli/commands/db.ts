import { redactDatabaseUrl, openDatabase } from "../../db/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

export const dbCommand: Command = {
  name: "db",
  usage: "db migrate",
  summary: "apply pending database migrations (also done automatically at start)",
  help: [
    "Usage: o1c db migrate",
    "",
    "Applies the committed migrations in prisma/migrations to the database in DATABASE_URL, or to the embedded",
    "database in .data/ when DATABASE_URL is unset. Safe to run repeatedly and concurrently.",
  ].join("\n"),
  async run(argv) {
    const { positionals } = parseCommandArgs(argv, {});
    if (positionals[0] !== "migrate" || positionals.length !== 1) throw new CliUsageError("expected: o1c db migrate");
    const started = Date.now();
    // openDatabase applies migrations before it returns.
    const db = await openDatabase();
    try {
      const { applied, alreadyApplied } = db.migrations;
      for (const name of applied) console.log(`applied ${name}`);
      console.log(
        `Database (${db.mode}) at ${redactDatabaseUrl(db.url)} is up to date: ${applied.length} applied now, ` +
          `${alreadyApplied} already applied (${Date.now() - started} ms).`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
