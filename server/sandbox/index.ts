// The sandbox's public surface: createSandbox() and the types of what goes in and comes out.
export { createSandbox, startSandbox, PooledSandbox, type SandboxOptions } from "./create-sandbox.ts";
export { IsolationUnavailableError, UNSAFE_OPT_IN } from "./isolation.ts";
export { DEFAULT_LIMITS } from "./limits.ts";
export { normaliseStdout } from "./stdout-match.ts";
export { SandboxFailureError } from "./verdict.ts";
export { RunDroppedError, SandboxClosedError } from "./worker-pool.ts";
export { parseWireJson, wireEqual, type WireValue } from "./wire-value.ts";
export type * from "./types.ts";
export * from "./descendant-processes.ts";
