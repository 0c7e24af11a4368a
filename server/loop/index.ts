// The self-play loop room: a lineage with a plan (loop.json) run stage by stage — search, export, train, publish,
// evaluate on the held-out split — durably, resumable after kill -9, cancellable. Its config (loop.json) and stage
// list are contracts: server/contracts/loop-config.ts and loop-stages.ts.
export { cancelLoop, createOrFindLoop, findLoopByName, getLoopDetail, getLoopReport, listLoops, resolveLoopProblems, type LoopReport } from "./loop-service.ts";
export { runLoop, type LoopRunDeps } from "./run-loop.ts";
export { HeldOutLeakError, assertNoHeldOut } from "./loop-files.ts";
export { createLoopRunner } from "./loop-runner.ts";
export { getLoopRunner, registerLoopRunner, type LoopRunner } from "./loop-runner-registry.ts";
