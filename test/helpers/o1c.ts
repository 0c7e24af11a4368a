// Runs the o1c command as a user would: a real process through bin/o1c.mjs, against the test database.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { testDatabaseUrl } from "./db.ts";

const exec = promisify(execFile);

export async function o1c(args: string[], env: Record<string, string | undefined> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ["bin/o1c.mjs", ...args], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
