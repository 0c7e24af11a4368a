// Lint: the room boundaries (every server room is imported through its index.ts; see README "Layout") and a few
// rules that catch real mistakes. Type-aware and React rules are for later; this set is kept clean.
import tseslint from "typescript-eslint";
import { roomDoors } from "./tools/room-doors-rule.mjs";

export default [
  { ignores: [".next/**", "node_modules/**", ".stryker-tmp*/**", "reports/**", "server/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: "latest", sourceType: "module" },
    plugins: { local: { rules: { "room-doors": roomDoors } } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-debugger": "error",
      "no-dupe-keys": "error",
      "no-duplicate-case": "error",
      "no-self-assign": "error",
      "no-unreachable": "error",
      "no-unsafe-finally": "error",
      "no-constant-binary-expression": "error",
      "no-sparse-arrays": "error",
      "no-control-regex": "error",
    },
  },
  {
    // Tests may reach a room's internals (they test them); everything else goes through the doors.
    files: ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: { "local/room-doors": "error" },
  },
];
