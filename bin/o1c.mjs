#!/usr/bin/env node
// Entry point of the `o1c` CLI: loads the TypeScript sources through tsx (Node 20 cannot strip types itself).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
