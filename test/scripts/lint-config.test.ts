// The lint configuration (eslint.config.mjs) is what `npm run lint` and CI run: it must hold the React hooks and
// jsx-a11y rules for the UI code, besides the room doors. Lints small snippets as if they were files of the tree.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe("lint configuration", () => {
  it("reports a hook called conditionally in a component", async () => {
    const code = `import { useState } from "react";
export function C({ on }: { on: boolean }) {
  if (on) { const [x] = useState(0); return <p>{x}</p>; }
  return null;
}
`;
    expect(await ruleIds(code, "components/probe.tsx")).toContain("react-hooks/rules-of-hooks");
  });

  it("reports an effect whose dependencies are missing and setState in an effect", async () => {
    const code = `import { useEffect, useState } from "react";
export function C({ n }: { n: number }) {
  const [x, setX] = useState(0);
  useEffect(() => { setX(n); }, []);
  return <p>{x}</p>;
}
`;
    const ids = await ruleIds(code, "app/probe/page.tsx");
    expect(ids).toContain("react-hooks/exhaustive-deps");
    expect(ids).toContain("react-hooks/set-state-in-effect");
  });

  it("reports an image without alt text and a label tied to no control", async () => {
    const code = `export function C() {
  return <div><img src="/a.png" /><label>Model</label></div>;
}
`;
    const ids = await ruleIds(code, "components/probe.tsx");
    expect(ids).toContain("jsx-a11y/alt-text");
    expect(ids).toContain("jsx-a11y/label-has-associated-control");
  });

  it("accepts a labelled field", async () => {
    const code = `export function C() {
  return <label>Model <input name="model" /></label>;
}
`;
    expect(await ruleIds(code, "components/probe.tsx")).toEqual([]);
  });
});
