// What every entry point (web server, CLI) does before serving: open and migrate the database, make sure the
// built-in starter problems exist so a fresh install has something to run.
import { getDatabase, type DatabaseHandle } from "./db/index.ts";
import { ensureStarterDataset } from "./datasets/index.ts";

export async function prepareDatabase(): Promise<DatabaseHandle> {
  const db = await getDatabase();
  await ensureStarterDataset(db.prisma);
  return db;
}
