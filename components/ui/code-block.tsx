export function CodeBlock({ code, label, testId }: { code: string; label?: string; testId?: string }) {
  return (
    <figure className="overflow-hidden rounded border border-slate-200 bg-slate-900" data-testid={testId}>
      {label ? <figcaption className="border-b border-slate-700 px-3 py-1 text-xs text-slate-400">{label}</figcaption> : null}
      <pre className="max-h-96 overflow-auto px-3 py-2 font-mono text-xs leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
