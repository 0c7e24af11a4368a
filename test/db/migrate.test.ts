import { describe, expect, it } from "vitest";
import pg from "pg";
import { applyMigrations, readMigrations } from "../../server/db/migrate.ts";
import { poolConfigFromUrl } from "../../server/db/database-url.ts";
import { testDatabaseUrl, uniqueName, useTestPrisma } from "../helpers/db.ts";

describe("migrations", () => {
  const prisma = useTestPrisma();

  it("are recorded in Prisma's table with Prisma's checksum, and re-applying is a no-op", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const again = await applyMigrations(testDatabaseUrl());
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(migrations.length);
    const client = new pg.Client(poolConfigFromUrl(testDatabaseUrl()));
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
      expect(rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    } finally {
      await client.end();
    }
  });

  it("missing (o1c started outside the checkout) is an error that names the directory, not a bare ENOENT", async () => {
    const elsewhere = "/nonexistent-o1c-cwd/prisma/migrations";
    await expect(readMigrations(elsewhere)).rejects.toThrow(`no database migrations at ${elsewhere}: run o1c from the O1-Coder Studio checkout`);
  });

  it("concurrent migrators serialise on the advisory lock", async () => {
    const results = await Promise.all([applyMigrations(testDatabaseUrl()), applyMigrations(testDatabaseUrl())]);
    expect(results.every((r) => r.applied.length === 0)).toBe(true);
  });

  it("the schema accepts a dataset with a problem and tests, and cascades deletes", async () => {
    const dataset = await prisma.dataset.create({
      data: {
        name: uniqueName("schema"),
        format: "jsonl",
        problems: {
          create: {
            externalId: "1",
            ordinal: 1,
            statement: "add",
            contentHash: "h",
            testCases: { create: [{ ordinal: 0, origin: "DATASET_VISIBLE", kind: "ASSERT", input: "assert add(1, 2) == 3" }] },
          },
        },
      },
      include: { problems: { include: { testCases: true } } },
    });
    expect(dataset.problems[0]?.testCases[0]?.validation).toBe("UNVALIDATED");
    await prisma.dataset.delete({ where: { id: dataset.id } });
    expect(await prisma.problem.count({ where: { datasetId: dataset.id } })).toBe(0);
  });
});
