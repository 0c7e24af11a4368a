#!/usr/bin/env node
// The server rooms' import graph must have no cycle: no two-way tie (A imports B and B imports A) and no longer loop.
// Usage (from the project root): node tools/room-graph.mjs [--list]; exits 1 when there is one. Part of npm run lint.
import fs from "node:fs"; import path from "node:path";
const rooms = fs.readdirSync("server", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const edges = new Map();
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (!["generated"].includes(e.name)) walk(p); continue; }
    if (!/\.(ts|tsx|mts)$/.test(e.name)) continue;
    const room = p.split("/")[1];
    for (const m of fs.readFileSync(p, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      const spec = m[1];
      const abs = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.normalize(path.join(path.dirname(p), spec)) : null;
      const parts = abs?.split("/") ?? [];
      if (parts[0] !== "server" || parts.length < 2 || !rooms.includes(parts[1]) || parts[1] === room) continue;
      const k = `${room}->${parts[1]}`;
      if (!edges.has(k)) edges.set(k, []); edges.get(k).push(`${p} -> ${spec}`);
    }
  }
})("server");
const ties = [];
for (const k of edges.keys()) { const [a, b] = k.split("->"); if (a < b && edges.has(`${b}->${a}`)) ties.push([a, b]); }
console.log(`${ties.length} two-way room ties`);
for (const [a, b] of ties) { console.log(`  ${a} <-> ${b}`); if (process.argv.includes("--list")) { for (const x of [...edges.get(`${a}->${b}`), ...edges.get(`${b}->${a}`)]) console.log("      " + x); } }
// Longer cycles (A → B → C → A) too: rooms on a cycle, by depth-first search.
const adj = new Map(); for (const k of edges.keys()) { const [a, b] = k.split("->"); if (!adj.has(a)) adj.set(a, []); adj.get(a).push(b); }
const state = new Map(); const cycles = [];
function dfs(n, stack) { state.set(n, 1); stack.push(n);
  for (const m of adj.get(n) ?? []) { if (state.get(m) === 1) cycles.push([...stack.slice(stack.indexOf(m)), m].join(" -> ")); else if (!state.get(m)) dfs(m, stack); }
  stack.pop(); state.set(n, 2); }
for (const n of adj.keys()) if (!state.get(n)) dfs(n, []);
console.log(`${cycles.length} room cycles`); for (const c of cycles) console.log("  " + c);
if (ties.length || cycles.length) process.exit(1);
