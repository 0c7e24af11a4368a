// What every bench reports besides its figures: the machine it ran on (cores, load at the start of each run), and
// each figure over repeated runs as min / median / max, so a run disturbed by other work on the machine shows up as
// spread instead of passing for the figure.
import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  /** 1-, 5- and 15-minute load averages when the bench started. */
  loadAtStart: [number, number, number];
}

export function machineFacts(): MachineFacts {
  const [one, five, fifteen] = os.loadavg() as [number, number, number];
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAtStart: [round2(one), round2(five), round2(fifteen)],
  };
}

/** The 1-minute load average now (taken at the start of each run). */
export function loadNow(): number {
  return round2(os.loadavg()[0]!);
}

/**
 * The machine's own speed at this moment: the fastest of `repeats` timings of a fixed single-threaded workload shaped
 * like the engine's (objects built, serialised to JSON and back, sorted), in ms; lower is faster. The same code costs
 * more CPU at a slower moment of a shared machine (a lower clock, a neighbour on the same physical core), which the
 * load average does not show: printed beside each run, it tells such drift from the cost of the code measured. The
 * fastest of several, so that a moment of contention from other processes (and V8's first, unoptimised pass) weighs
 * less than the speed of the core itself.
 */
export function probeMachineSpeedMs(repeats = 5): number {
  let fastest = Infinity;
  for (let i = 0; i < repeats; i += 1) {
    const start = process.hrtime.bigint();
    speedProbeWorkload();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return round2(fastest);
}

/** How benches print probeMachineSpeedMs readings. */
export function formatSpeedProbes(readings: readonly number[]): string {
  return `machine speed probe (ms for a fixed JavaScript workload, lower is faster): ${readings.map((ms) => ms.toFixed(1)).join(", ")}`;
}

/** Returns a checksum, so that no part of the work can be optimised away. */
export function speedProbeWorkload(): number {
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: `node-${i}`, seq: i, visits: (i * 7919) % 1000, valueSum: ((i * 104729) % 997) / 997 }));
  const parsed = JSON.parse(JSON.stringify(rows)) as typeof rows;
  parsed.sort((a, b) => a.visits - b.visits || b.seq - a.seq);
  return parsed[0]!.seq + parsed[parsed.length - 1]!.seq;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
  /** Every run's value, in run order. */
  all: number[];
}

/** min / median / max of the runs (the lower median for an even count, so it is always a measured value). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spread of no runs");
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted.at(-1)!, all: [...values] };
}

/** "median (min–max)" with `digits` decimals. */
export function formatSpread(s: Spread, digits = 0): string {
  const f = (n: number) => n.toFixed(digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (min ${f(s.min)}, max ${f(s.max)})`;
}

export function formatMachine(m: MachineFacts): string {
  return `machine: ${m.cores} cores (${m.cpuModel}), ${m.platform}, node ${m.node}, load average at start ${m.loadAtStart.join(" / ")} (1 / 5 / 15 min)`;
}

/**
 * Starts measuring how busy the whole machine's CPUs are (Linux: /proc/stat); stop() gives the busy share of the CPU
 * time that passed (0-1: not idle nor waiting for I/O, every process counted), or null where /proc/stat is missing.
 * A scenario that leaves the machine idle part of the time is limited by waits, not by CPU.
 */
export function startMachineBusyMeter(): { stop(): number | null } {
  const start = machineCpuTicks();
  return {
    stop() {
      const end = machineCpuTicks();
      if (!start || !end || end.total === start.total) return null;
      return round2(1 - (end.idle - start.idle) / (end.total - start.total));
    },
  };
}

function machineCpuTicks(): { total: number; idle: number } | null {
  try {
    return parseMachineCpuTicks(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/** The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal (guest time is already in user). */
export function parseMachineCpuTicks(stat: string): { total: number; idle: number } | null {
  const ticks = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? "").split(/\s+/).slice(0, 8).map(Number);
  if (ticks.length < 8 || ticks.some((t) => !Number.isFinite(t))) return null;
  return { total: ticks.reduce((a, b) => a + b, 0), idle: ticks[3]! + ticks[4]! };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
