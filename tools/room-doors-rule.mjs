// ESLint rule: an import from outside a server room goes through its door, server/<room>/index.ts. Catches both
// `@/server/<room>/<file>` and relative `../<room>/<file>` specifiers (and `export … from`, `import()`), types included.
// Files under test/ and e2e/ are not checked (eslint.config.mjs): a room's own tests may reach its internals.
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/** "server/engine/run-tree.ts" → { room: "engine", inner: "run-tree.ts" }; null outside server/<room>/. */
function roomOf(relative) {
  const parts = relative.split(path.sep);
  if (parts[0] !== "server" || parts.length < 3) return null;
  return { room: parts[1], inner: parts.slice(2).join("/") };
}

function isDoor(inner) {
  return /^index(\.tsx?)?$/.test(inner);
}

export const roomDoors = {
  meta: {
    type: "problem",
    docs: { description: "Import a server room only through its index.ts" },
    messages: { deep: "'{{spec}}' reaches past the door of server/{{room}}/: import from its index.ts ({{door}})." },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename);
    const from = roomOf(file);
    function check(node) {
      const spec = node.source?.value;
      if (typeof spec !== "string") return;
      let target;
      if (spec.startsWith("@/")) target = path.normalize(spec.slice(2));
      else if (spec.startsWith(".")) target = path.relative(ROOT, path.resolve(path.dirname(context.filename), spec));
      else return;
      const to = roomOf(target);
      if (!to || isDoor(to.inner) || to.room === from?.room) return;
      const door = spec.startsWith("@/") ? `@/server/${to.room}` : `${path.relative(path.dirname(file), `server/${to.room}`)}/index.ts`;
      context.report({ node: node.source, messageId: "deep", data: { spec, room: to.room, door } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
