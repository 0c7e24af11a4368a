/** ["llm", "baseUrls", 1] → "llm.baseUrls[1]", the way the config file is read. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(root)";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("");
}
