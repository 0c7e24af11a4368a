// `o1c bench reward`: rewards per second of the OpenRLHF reward service for batches of 64 MBPP-size completions
// (each a reasoning preamble plus the problem's reference solution or a wrong variant, all distinct), on a throwaway
// database with MBPP imported, through the service's whole request path (parse, label lookup, sandbox, response).
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { createPrismaClient } from "../db/index.ts";
import { createEmbeddedThrowawayDatabase, createServerThrowawayDatabase } from "../db/index.ts";
import { importDataset } from "../datasets/index.ts";
import { createRewardService } from "../reward/index.ts";
import { formatMachine, machineFacts, type MachineFacts } from "./run-stats.ts";
import { createSandbox } from "../sandbox/index.ts";

export interface RewardBenchmarkOptions {
  /** MBPP file (default ../shared/datasets/mbpp.jsonl next to the repository). */
  file?: string;
  batchSize?: number;
  /** Measured runs; each scores `batchesPerRun` batches. */
  runs?: number;
  batchesPerRun?: number;
}

export interface RewardBenchmarkResult {
  batchSize: number;
  runs: number;
  batchesPerRun: number;
  rewardsPerSec: { min: number; median: number; max: number; all: number[] };
  /** Share of completions rewarded 1 (about half are correct by construction). */
  rewardOneShare: number;
  goalPerSec: number;
  meetsGoal: boolean;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAvg1m: number; sandboxIsolation: string; sandboxWorkers: number | null };
  /** Cores and load averages when the bench started (machine.loadAvg1m is the load at its end). */
  atStart: MachineFacts;
}

const GOAL_PER_SEC = 150;

export async function runRewardBenchmark(options: RewardBenchmarkOptions = {}): Promise<RewardBenchmarkResult> {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const file = options.file ?? path.resolve(repo, "..", "shared", "datasets", "mbpp.jsonl");
  if (!existsSync(file)) throw new Error(`no MBPP file at ${file} (give --file PATH to mbpp.jsonl)`);
  const atStart = machineFacts();
  const batchSize = options.batchSize ?? 64;
  const runs = options.runs ?? 5;
  const batchesPerRun = options.batchesPerRun ?? 4;
  const serverUrl = process.env.DATABASE_URL?.trim();
  const db = serverUrl ? await createServerThrowawayDatabase(serverUrl, "o1c_bench") : await createEmbeddedThrowawayDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: db.mode === "embedded" ? 1 : 4 });
  const sandbox = await createSandbox();
  const service = createRewardService(prisma, { sandbox, maxBatch: batchSize });
  try {
    await importDataset(prisma, { source: { path: file }, format: "mbpp", name: "mbpp" });
    const problems = await prisma.problem.findMany({ where: { dataset: { name: "mbpp" } }, orderBy: { ordinal: "asc" }, take: 200, select: { externalId: true, statement: true, referenceSolution: true, entryPoint: true } });
    let serial = 0;
    const makeBatch = () => {
      const items = Array.from({ length: batchSize }, (_, i) => {
        const p = problems[(serial * 7 + i * 13) % problems.length]!;
        serial += 1;
        const wrong = serial % 2 === 0;
        // A distinct completion every time (no memo hits): a reasoning preamble, then the code.
        const code = `${p.referenceSolution}\n${wrong ? `\n${p.entryPoint} = lambda *args, **kwargs: None\n` : ""}# sample ${serial}\n`;
        const prompt = `${p.statement}\n`;
        return { prompt, query: `${prompt}Let me reason step by step about the input and the expected output, then write the function.\n\n\`\`\`python\n${code}\`\`\`\n`, label: `mbpp/${p.externalId}` };
      });
      return JSON.stringify({ query: items.map((i) => i.query), prompts: items.map((i) => i.prompt), labels: items.map((i) => i.label) });
    };
    await service.score(makeBatch()); // warm-up: sandbox workers, problem lookups
    const perSec: number[] = [];
    let ones = 0;
    let total = 0;
    for (let run = 0; run < runs; run += 1) {
      const bodies = Array.from({ length: batchesPerRun }, makeBatch);
      const started = performance.now();
      for (const body of bodies) {
        const reply = await service.score(body);
        ones += reply.rewards.filter((r) => r === 1).length;
        total += reply.rewards.length;
      }
      perSec.push((batchesPerRun * batchSize) / ((performance.now() - started) / 1000));
    }
    const sorted = [...perSec].sort((a, b) => a - b);
    const cpus = os.cpus();
    return {
      batchSize,
      runs,
      batchesPerRun,
      rewardsPerSec: { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)!, all: perSec },
      rewardOneShare: ones / total,
      goalPerSec: GOAL_PER_SEC,
      meetsGoal: sorted[Math.floor(sorted.length / 2)]! >= GOAL_PER_SEC,
      atStart,
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? "unknown",
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAvg1m: os.loadavg()[0]!,
        sandboxIsolation: sandbox.isolation,
        sandboxWorkers: (sandbox as { workers?: number }).workers ?? null,
      },
    };
  } finally {
    await service.close();
    await sandbox.close();
    await prisma.$disconnect();
    await db.drop();
  }
}

export function formatRewardBenchmark(r: RewardBenchmarkResult): string {
  const f = (n: number) => n.toFixed(0);
  return [
    `Reward service (OpenRLHF protocol): ${r.runs} runs × ${r.batchesPerRun} batches of ${r.batchSize} MBPP-size completions`,
    `rewards/s  min ${f(r.rewardsPerSec.min)}  median ${f(r.rewardsPerSec.median)}  max ${f(r.rewardsPerSec.max)}  (goal ≥ ${r.goalPerSec}: ${r.meetsGoal ? "met" : "NOT met"})`,
    `share rewarded 1: ${(r.rewardOneShare * 100).toFixed(0)}% (half the completions are correct by construction)`,
    `${formatMachine(r.atStart)}; load at the end ${r.machine.loadAvg1m.toFixed(2)}, sandbox ${r.machine.sandboxIsolation}`,
  ].join("\n");
}
