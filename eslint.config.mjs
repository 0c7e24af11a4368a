// Lint: the room boundaries (every server room is imported through its index.ts; see README "Layout"), a few
// rules that catch real mistakes, and for the React code the hooks rules (incl. the React Compiler's checks) and
// jsx-a11y's accessibility rules. Type-aware rules are for later; this set is kept clean (warnings fail `npm run lint`).
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
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
    // Hooks live in .ts files too (use-stored-state.ts, use-experiment-events.ts).
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // Tests may reach a room's internals (they test them); everything else goes through the doors.
    files: ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: { "local/room-doors": "error" },
  },
];
