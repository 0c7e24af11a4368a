import { openDatabase } from "/work/main/server/db/client.ts";
const t0 = Date.now();
const h = await openDatabase({ O1C_DATA_DIR: "/tmp/o1c-embedded-try" } as any);
console.log("open", Date.now() - t0, h.mode, h.url);
console.log(await h.prisma.dataset.count());
await h.prisma.dataset.upsert({ where: { name: "x" }, create: { name: "x", format: "jsonl" }, update: {} });
console.log(await h.prisma.dataset.findMany());
await h.close();
console.log("closed", Date.now() - t0);
