// {{name}} placeholders; a missing or unused variable is a bug in a template file, so both throw.

export function fillTemplate(template: string, values: Record<string, string>): string {
  const used = new Set<string>();
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template variable {{${name}}} has no value`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`template does not use ${unused.map((n) => `{{${n}}}`).join(", ")}`);
  return filled;
}
