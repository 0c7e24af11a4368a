import http from "node:http";
import next from "next";
import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase, redactDatabaseUrl } from "../../db/index.ts";
import { assertSafeBinding, enforceToken, skipCompressionOnLoopback } from "../../http/index.ts";
import { createLocalRunner, registerRunner } from "../../engine/index.ts";
import { createLoopRunner, registerLoopRunner } from "../../loop/index.ts";
import { createRewardService, registerRewardService, rewardBlendFromEnv } from "../../reward/index.ts";
import { createSandbox } from "../../sandbox/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

export const serveCommand: Command = {
  name: "serve",
  usage: "serve [--port 3000] [--host 127.0.0.1] [--dev] [--no-worker]",
  summary: "start the dashboard (npm start builds it first)",
  help: [
    "Usage: o1c serve [--port P] [--host H] [--dev]",
    "",
    "  --port P   port to listen on (default: $PORT or 3000)",
    "  --host H   address to bind (default: 127.0.0.1). Any non-loopback address requires O1C_TOKEN.",
    "  --dev      Next.js development mode (hot reload) instead of the production build in .next/",
    "  --concurrency N  trees the in-process queue worker searches at once (default 16)",
    "  --no-worker      run no in-process worker: experiments wait in the queue for `o1c worker` processes",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      port: { type: "string" },
      host: { type: "string" },
      dev: { type: "boolean", default: false },
      concurrency: { type: "string" },
      "no-worker": { type: "boolean", default: false },
    }, false);
    const port = Number(values.port ?? process.env.PORT ?? 3000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be a port number, got '${values.port}'`);
    const host = values.host ?? "127.0.0.1";
    const token = process.env.O1C_TOKEN || undefined;
    assertSafeBinding(host, token);

    const db = await prepareDatabase();
    const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) throw new CliUsageError(`--concurrency must be a positive integer, got '${values.concurrency}'`);
    const runner = createLocalRunner(db.prisma, { databaseUrl: db.url, worker: !values["no-worker"], concurrency });
    registerRunner(runner);
    const rewards = createRewardService(db.prisma, { sandbox: () => createSandbox(), blend: rewardBlendFromEnv() });
    registerRewardService(rewards);
    const loops = createLoopRunner(db.prisma, { sandbox: () => createSandbox() });
    registerLoopRunner(loops);
    const app = next({ dev: values.dev, hostname: host, port, dir: process.cwd() });
    const handle = app.getRequestHandler();
    await app.prepare();
    const server = http.createServer((req, res) => {
      if (!enforceToken(req, res, token)) return;
      skipCompressionOnLoopback(req);
      void handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    const address = server.address();
    const boundPort = typeof address === "object" && address ? address.port : port;
    console.log(`O1-Coder Studio on http://${host.includes(":") ? `[${host}]` : host}:${boundPort}  (database: ${db.mode}, ${redactDatabaseUrl(db.url)})`);
    if (token) console.log("Access token required (O1C_TOKEN).");
    const resumed = await loops.resumeInterrupted();
    if (resumed.length > 0) console.log(`Resumed ${resumed.length} self-play loop(s) a stopped server left running.`);
    await waitForShutdownSignal();
    console.log("Shutting down…");
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // keep-alive and SSE connections would otherwise hold close() open
    await closed;
    await app.close();
    await runner.close();
    registerRunner(undefined);
    registerRewardService(undefined);
    await loops.close();
    registerLoopRunner(undefined);
    await rewards.close();
    await closeDatabase();
    return 0;
  },
};

function waitForShutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
