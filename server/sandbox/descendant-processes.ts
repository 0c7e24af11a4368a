// A process and its descendants, read from /proc (Linux only): who they are (to make sure they are gone) and what
// memory they hold. RSS counts shared pages once per process (an upper bound); PSS splits them between the
// processes sharing them (what the tree really costs).
import { readdirSync, readFileSync } from "node:fs";

export interface TreeMemory {
  processes: number;
  rssBytes: number;
  /** null when smaps_rollup is not readable (another user's processes, old kernels). */
  pssBytes: number | null;
}

const PAGE_BYTES = 4096;

export function processTreeMemory(rootPid: number): TreeMemory {
  const pids = descendantsOf(rootPid);
  let rssBytes = 0;
  let pssBytes: number | null = 0;
  for (const pid of pids) {
    const statm = readProc(`/proc/${pid}/statm`);
    if (statm === null || statFields(pid)?.[0] === "Z") continue; // gone, or a zombie holding no memory
    rssBytes += Number(statm.split(" ")[1] ?? 0) * PAGE_BYTES;
    const pss = pssOf(pid);
    pssBytes = pss === null || pssBytes === null ? null : pssBytes + pss;
  }
  return { processes: pids.length, rssBytes, pssBytes };
}

/** rootPid and every process whose parent chain leads to it. */
export function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // The command name may contain spaces and parentheses, so fields are read after its closing ')'.
    const fields = statFields(Number(entry));
    if (fields === null) continue;
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const result: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    result.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return result;
}

/** Linux's clock ticks per second for /proc times (USER_HZ, 100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used, plus what its exited children used (the kernel adds a reaped
 * child's times to its parent). Summed over a process tree it counts every process once: a live child's time is
 * not yet in its parent's. null when the process is gone.
 */
export function processCpuMs(pid: number): number | null {
  const fields = statFields(pid);
  return fields === null ? null : ticksMs(fields[11]) + ticksMs(fields[12]) + ticksMs(fields[13]) + ticksMs(fields[14]);
}

function ticksMs(ticks: string | undefined): number {
  return (Number(ticks) * 1000) / TICKS_PER_SECOND;
}

/** A process's own CPU time and what its reaped children used, apart (ms), with what places it in its tree. */
export interface ProcessCpu {
  pid: number;
  parent: number;
  /** The command name (`comm`: the executable's name, 15 characters at most). */
  command: string;
  startTime: string;
  selfMs: number;
  reapedChildrenMs: number;
}

/** null when the process is gone or a zombie. */
export function processCpu(pid: number): ProcessCpu | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = fieldsAfterCommand(stat);
  if (fields[0] === "Z") return null;
  return {
    pid,
    parent: Number(fields[1]),
    command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    startTime: fields[19]!,
    selfMs: ticksMs(fields[11]) + ticksMs(fields[12]),
    reapedChildrenMs: ticksMs(fields[13]) + ticksMs(fields[14]),
  };
}

/** processCpuMs over a process and its descendants. */
export function processTreeCpuMs(rootPid: number): number {
  return descendantsOf(rootPid).reduce((total, pid) => total + (processCpuMs(pid) ?? 0), 0);
}

/**
 * CPU time (ms) of a live process's threads other than its main one (tid = pid; in Node, the JavaScript thread):
 * in Node, V8's optimizing compiler and concurrent GC, and libuv's pool. Exited threads' time is not in it (use
 * processCpuMs for the whole). null when the process is gone.
 */
export function otherThreadsCpuMs(pid: number): number | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let total = 0;
  for (const tid of tids) {
    if (Number(tid) === pid) continue;
    const stat = readProc(`/proc/${pid}/task/${tid}/stat`);
    if (stat === null) continue; // the thread exited meanwhile
    const fields = fieldsAfterCommand(stat);
    total += ticksMs(fields[11]) + ticksMs(fields[12]);
  }
  return total;
}

/** A pid plus its start time, so a recycled pid is never mistaken for the process we meant. */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

export function identify(pid: number): ProcessIdentity | null {
  const fields = statFields(pid);
  return fields ? { pid, startTime: fields[19]! } : null;
}

/** True while that very process exists and is not a zombie. */
export function isRunning(identity: ProcessIdentity): boolean {
  const fields = statFields(identity.pid);
  return fields !== null && fields[19] === identity.startTime && fields[0] !== "Z";
}

/** The fields of /proc/<pid>/stat after the command name: [0] is the state, [19] the start time. */
function statFields(pid: number): string[] | null {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat === null ? null : fieldsAfterCommand(stat);
}

/** /proc/<pid>/stat's fields after `(comm)` (which may itself hold spaces and parentheses): state first. */
function fieldsAfterCommand(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function pssOf(pid: number): number | null {
  const rollup = readProc(`/proc/${pid}/smaps_rollup`);
  const match = rollup === null ? null : /^Pss:\s+(\d+) kB/m.exec(rollup);
  return match ? Number(match[1]) * 1024 : null;
}

function readProc(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null; // the process exited meanwhile, or is not ours to read
  }
}
