// `--cpu-prof` of the benches: V8's sampling profiler on this process over one scenario (not the whole bench, whose
// setup would drown it), written as a .cpuprofile (Chrome DevTools, speedscope) and summed up by where the time is
// spent: each function's self time, and the same grouped by place (a package, or a room of server/).
import { Session } from "node:inspector/promises";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Share of the profiled busy time (0..1) spent in a function itself or in a place. */
export interface ProfileEntry {
  name: string;
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** Busy time sampled (idle excluded), ms. */
  ms: number;
  /** Share of the scenario the engine's thread was idle (waiting on the LLM server, the sandbox, the database). */
  idleShare: number;
  byFunction: ProfileEntry[];
  byPlace: ProfileEntry[];
}

/** Starts sampling this process; `stop` writes the profile to `dir/name.cpuprofile` and sums it up. */
export async function startCpuProfile(dir: string, name: string): Promise<{ stop(): Promise<ProfileSummary> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
      session.disconnect();
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${name}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return { file, ...summarizeProfile(profile) };
    },
  };
}

/**
 * Self time by function and by place, largest first (the top 15 of each), as shares of the busy time (idle excluded).
 * A native frame (a syscall such as writev, a V8 builtin) counts for the JavaScript function that called it, so a
 * socket write shows as its caller; samples taken inside this module (the profiler stopping) are left out.
 */
export function summarizeProfile(profile: CpuProfile, top = 15): Omit<ProfileSummary, "file"> & { idleShare: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    if (insideProfiler(id, byId, parentOf)) continue;
    busy += us;
    const frame = byId.get(jsCaller(id, byId, parentOf))!.callFrame;
    const fn = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    places.set(placeOf(frame), (places.get(placeOf(frame)) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, share: Math.round((us / (busy || 1)) * 1000) / 1000 }));
  return { ms: Math.round(busy / 1000), idleShare: Math.round((idle / (idle + busy || 1)) * 1000) / 1000, byFunction: ranked(functions), byPlace: ranked(places) };
}

/** The nearest frame with a script (the sample's own when it has one; V8's entries such as (garbage collector) stay). */
function jsCaller(id: number, byId: Map<number, ProfileNode>, parentOf: Map<number, number>): number {
  let current = id;
  for (;;) {
    const parent = parentOf.get(current);
    if (byId.get(current)!.callFrame.url || parent === undefined || !parentOf.has(parent)) return current;
    current = parent;
  }
}

function insideProfiler(id: number, byId: Map<number, ProfileNode>, parentOf: Map<number, number>): boolean {
  for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
    if (byId.get(current)!.callFrame.url.endsWith("bench/cpu-profile.ts")) return true;
  }
  return false;
}

function shortUrl(url: string): string {
  const nodeModules = url.lastIndexOf("node_modules/");
  if (nodeModules >= 0) return url.slice(nodeModules + "node_modules/".length);
  const server = url.indexOf("/server/");
  return server >= 0 ? url.slice(server + 1) : url;
}

/** A package (node_modules/pg, node_modules/@prisma/client), a room (server/engine), node's own code, or V8's entries ((garbage collector), (program)). */
function placeOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const room = /\/server\/([^/]+)\//.exec(url);
  if (room) return `server/${room[1]}`;
  if (url.startsWith("node:")) return "node (built-in modules)";
  return shortUrl(url);
}

export function formatProfileSummary(s: ProfileSummary): string {
  const pct = (e: ProfileEntry) => `${(e.share * 100).toFixed(1).padStart(5)}%  ${e.name}`;
  return [
    `  CPU profile of the engine process over the overhead scenario (${s.ms} ms busy, idle ${(s.idleShare * 100).toFixed(0)}% of the time): ${s.file}`,
    `    self time by place (native code counted for its JavaScript caller):`,
    ...s.byPlace.map((e) => `      ${pct(e)}`),
    `    self time by function:`,
    ...s.byFunction.map((e) => `      ${pct(e)}`),
  ].join("\n");
}
