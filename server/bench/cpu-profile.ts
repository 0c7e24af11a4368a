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

/** Share of the profiled time (0..1) spent in a function itself or in a place. */
export interface ProfileEntry {
  name: string;
  share: number;
}

export interface ProfileSummary {
  file: string;
  ms: number;
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

/** Self time by function and by place, largest first (the top 15 of each). */
export function summarizeProfile(profile: CpuProfile, top = 15): Omit<ProfileSummary, "file"> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const fn = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    places.set(placeOf(frame), (places.get(placeOf(frame)) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, share: Math.round((us / total) * 1000) / 1000 }));
  return { ms: Math.round(total / 1000), byFunction: ranked(functions), byPlace: ranked(places) };
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
    `  CPU profile of the engine process over the overhead scenario (${s.ms} ms sampled): ${s.file}`,
    `    self time by place:`,
    ...s.byPlace.map((e) => `      ${pct(e)}`),
    `    self time by function:`,
    ...s.byFunction.map((e) => `      ${pct(e)}`),
  ].join("\n");
}
