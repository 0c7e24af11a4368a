// One worker: a forkserver process (inside bubblewrap unless unsafe) and the judge it forked at start, each spoken
// to with length-prefixed JSON frames: the forkserver on stdin/stdout, the judge on fds 3 (requests) and 4
// (answers). A worker serves one request at a time, to either; the pool makes sure of that. Killing it kills its whole process group, and its
// end is observed on 'exit' (never 'close', which waits for every holder of the pipes).
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { encodeFrame, FrameDecoder } from "./frame-codec.ts";
import {
  execReportSchema,
  forkserverErrorSchema,
  helloSchema,
  judgeAnswerSchema,
  type ExecReport,
  type ExecRequest,
  type Hello,
  type JudgeAnswer,
  type JudgeRequest,
} from "./protocol.ts";
import type { WorkerLaunch } from "./isolation.ts";
import { descendantsOf, identify, isRunning, type ProcessIdentity } from "./descendant-processes.ts";

const MAX_FRAME_BYTES = 512 * 1024 * 1024;
const STDERR_TAIL_BYTES = 8192;
/** How long to wait for the rest of a worker's processes once its first process has exited, before SIGKILL. */
const TREE_EXIT_GRACE_MS = 1000;

export class WorkerStartError extends Error {
  constructor(
    message: string,
    /** What the worker wrote to stderr (bubblewrap's own errors land here). */
    readonly stderr: string,
    /** The forkserver started but its self-test job failed (e.g. nested user namespaces are not allowed). */
    readonly selfTestFailed: boolean,
  ) {
    super(message);
    this.name = "WorkerStartError";
  }
}

/** The worker died or stopped answering while a job was in flight. */
export class WorkerLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerLostError";
  }
}

/** What a worker is asked: a job for the forkserver, or a request for the judge. */
export type WorkerRequest = ExecRequest | JudgeRequest;
export type WorkerAnswer<R extends WorkerRequest> = R extends JudgeRequest ? JudgeAnswer : ExecReport;

interface Pending {
  id: number;
  channel: "forkserver" | "judge";
  resolve: (answer: ExecReport | JudgeAnswer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type WorkerChild = ChildProcess & { stdin: Writable; stdout: Readable; stderr: Readable };

export class ForkserverWorker {
  readonly pid: number;
  /** How this worker's programs enter their namespaces, as its self-test chose. */
  strategy: string | null = null;
  /** Resolves when the worker process has exited, for whatever reason. */
  readonly exited: Promise<WorkerExit>;
  private readonly decoder = new FrameDecoder(MAX_FRAME_BYTES);
  private readonly judgeDecoder = new FrameDecoder(MAX_FRAME_BYTES);
  private readonly judgeIn: Writable;
  private stderrTail = "";
  private nextId = 1;
  private pending: Pending | null = null;
  private hello: { resolve: (hello: Hello) => void; reject: (error: Error) => void } | null = null;
  private hasExited = false;
  private onUnexpectedExit: ((worker: ForkserverWorker) => void) | null = null;
  /** The worker's processes, seen once it was up: bubblewrap does not wait for its sandbox's init to exit. */
  private tree: ProcessIdentity[] = [];

  private constructor(private readonly child: WorkerChild) {
    this.pid = child.pid!;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.hasExited = true;
        this.failInFlight(`the sandbox worker exited (${signal ?? `code ${code}`})${this.stderrSuffix()}`);
        this.onUnexpectedExit?.(this);
        resolve({ code, signal });
      });
    });
    child.stdout.on("data", (chunk: Buffer) => this.onData(chunk, this.decoder, "forkserver"));
    this.judgeIn = child.stdio[3] as Writable;
    (child.stdio[4] as Readable).on("data", (chunk: Buffer) => this.onData(chunk, this.judgeDecoder, "judge"));
    this.judgeIn.on("error", () => {});
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    // A write to a worker that just died fails with EPIPE; the 'exit' handler reports it.
    child.stdin.on("error", () => {});
  }

  /** Spawns the worker and waits for its hello (sent after its self-test job ran through the whole sandbox). */
  static async start(launch: WorkerLaunch, startTimeoutMs: number): Promise<ForkserverWorker> {
    const child = spawn(launch.command, launch.args, {
      stdio: ["pipe", "pipe", "pipe", "pipe", "pipe"], // fds 3 and 4: the judge's channel
      detached: true, // its own process group, so kill(-pid) reaches everything it started
      env: launch.env as NodeJS.ProcessEnv, // exactly these variables (NODE_ENV included only if given)
      cwd: launch.cwd,
      uid: launch.runAs?.uid,
      gid: launch.runAs?.gid,
    });
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    spawnError.catch(() => {});
    if (child.pid === undefined) {
      const error = await spawnError;
      throw new WorkerStartError(`could not start ${launch.command}: ${(error as Error).message}`, "", false);
    }
    const worker = new ForkserverWorker(child as WorkerChild);
    try {
      const hello = await worker.waitForHello(startTimeoutMs);
      if (hello.error !== null) throw new WorkerStartError(`the sandbox self-test failed: ${hello.error}`, worker.stderrTail, true);
      if (hello.mode !== launch.mode) throw new WorkerStartError(`the worker runs in mode ${hello.mode}, expected ${launch.mode}`, "", false);
      worker.tree = descendantsOf(worker.pid).flatMap((pid) => identify(pid) ?? []);
      worker.strategy = hello.strategy;
      return worker;
    } catch (error) {
      await worker.kill();
      if (error instanceof WorkerStartError) throw error;
      throw new WorkerStartError((error as Error).message, worker.stderrTail, false);
    }
  }

  get alive(): boolean {
    return !this.hasExited;
  }

  /** Called once when the process exits, unless it was shut down on purpose. */
  setExitListener(listener: (worker: ForkserverWorker) => void): void {
    this.onUnexpectedExit = listener;
  }

  /** Runs one job (or judge request). Rejects with WorkerLostError if the worker dies or does not answer within
   * watchdogMs. */
  exec<R extends WorkerRequest>(request: R, watchdogMs: number): Promise<WorkerAnswer<R>> {
    if (this.pending) return Promise.reject(new Error("a sandbox worker runs one job at a time"));
    if (this.hasExited) return Promise.reject(new WorkerLostError("the sandbox worker is not running"));
    const id = this.nextId++;
    const channel = "op" in request ? "judge" : "forkserver";
    return new Promise<WorkerAnswer<R>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failInFlight(`the sandbox ${channel === "judge" ? "judge" : "worker"} did not answer within ${watchdogMs} ms and was killed`);
        void this.kill();
      }, watchdogMs);
      this.pending = { id, channel, resolve: resolve as (answer: ExecReport | JudgeAnswer) => void, reject, timer };
      if (channel === "judge") this.judgeIn.write(encodeFrame(request));
      else this.child.stdin.write(encodeFrame({ op: "exec", id, ...request }));
    });
  }

  /** SIGKILL to the whole process group; resolves once every process of the worker has exited. */
  async kill(): Promise<void> {
    if (!this.hasExited) {
      try {
        process.kill(-this.pid, "SIGKILL");
      } catch {
        try {
          this.child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await this.exited;
    await this.awaitTreeExit();
  }

  /** Closes the request pipe (the forkserver exits when it reads EOF); kills it if it has not exited in time. */
  async shutdown(graceMs: number): Promise<void> {
    this.onUnexpectedExit = null;
    this.judgeIn.end();
    this.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") await this.kill();
    else await this.awaitTreeExit();
  }

  /** bubblewrap's outer process exits without waiting for the sandbox's init, which may linger for a moment (or
   * for good, if something went wrong): wait for the processes seen at start, then kill what is left. */
  private async awaitTreeExit(): Promise<void> {
    const until = Date.now() + TREE_EXIT_GRACE_MS;
    for (;;) {
      const alive = this.tree.filter(isRunning);
      if (alive.length === 0) return;
      if (Date.now() > until) {
        for (const { pid } of alive) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // exited meanwhile
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private waitForHello(timeoutMs: number): Promise<Hello> {
    return new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sandbox worker did not start within ${timeoutMs} ms`)), timeoutMs);
      const done = <T>(settle: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        this.hello = null;
        settle(value);
      };
      this.hello = { resolve: done(resolve), reject: done(reject) };
      void this.exited.then(({ code, signal }) =>
        this.hello?.reject(new Error(`the sandbox worker exited before it was ready (${signal ?? `code ${code}`})${this.stderrSuffix()}`)),
      );
    });
  }

  private onData(chunk: Buffer, decoder: FrameDecoder, channel: Pending["channel"]): void {
    let bodies: string[];
    try {
      bodies = decoder.push(chunk);
    } catch (error) {
      this.failInFlight(`the sandbox ${channel} sent a malformed frame: ${(error as Error).message}`);
      void this.kill();
      return;
    }
    for (const body of bodies) {
      if (channel === "judge") this.onJudgeMessage(body);
      else this.onMessage(body);
    }
  }

  private onJudgeMessage(body: string): void {
    const pending = this.pending;
    let answer: ReturnType<typeof judgeAnswerSchema.safeParse> | null = null;
    try {
      answer = judgeAnswerSchema.safeParse(JSON.parse(body));
    } catch {
      // reported below
    }
    if (answer?.success && pending?.channel === "judge") {
      this.pending = null;
      clearTimeout(pending.timer);
      pending.resolve(answer.data);
      return;
    }
    this.failInFlight(`the sandbox judge sent an unexpected message: ${body.slice(0, 300)}`);
    void this.kill();
  }

  private onMessage(body: string): void {
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      this.failInFlight("the sandbox worker sent invalid JSON");
      void this.kill();
      return;
    }
    if (this.hello) {
      const hello = helloSchema.safeParse(message);
      if (hello.success) this.hello.resolve(hello.data);
      else this.hello.reject(new Error(`unexpected first message from the sandbox worker: ${body.slice(0, 200)}`));
      return;
    }
    const report = execReportSchema.safeParse(message);
    const pending = this.pending;
    if (report.success && pending?.channel === "forkserver" && report.data.id === pending.id) {
      this.pending = null;
      clearTimeout(pending.timer);
      pending.resolve(report.data);
      return;
    }
    const error = forkserverErrorSchema.safeParse(message);
    this.failInFlight(error.success ? `the sandbox worker reported: ${error.data.message}` : "the sandbox worker sent an unexpected message");
    void this.kill();
  }

  private failInFlight(message: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.reject(new WorkerLostError(message));
  }

  private stderrSuffix(): string {
    const tail = this.stderrTail.trim();
    return tail ? `: ${tail.slice(-2000)}` : "";
  }
}
