// Python and step text on the app's dark code background, coloured by the tiny tokenizer in highlight-python.ts.
import { useMemo } from "react";
import { isPythonFence, splitFencedCode } from "./fenced-code";
import { PYTHON_TOKEN_CLASSES, tokenizePython } from "./highlight-python";

const FIGURE = "overflow-hidden rounded border border-slate-200 bg-slate-900";
const CAPTION = "border-b border-slate-700 px-3 py-1 text-xs text-slate-400";
const PRE = "max-h-96 overflow-auto px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words text-slate-100";

export function PythonTokens({ code }: { code: string }) {
  const tokens = useMemo(() => tokenizePython(code), [code]);
  return (
    <>
      {tokens.map((token, i) => (
        <span key={i} className={PYTHON_TOKEN_CLASSES[token.kind]}>
          {token.text}
        </span>
      ))}
    </>
  );
}

export function PythonCodeBlock({ code, label, testId }: { code: string; label?: string; testId?: string }) {
  return (
    <figure className={FIGURE} data-testid={testId}>
      {label ? <figcaption className={CAPTION}>{label}</figcaption> : null}
      <pre className={PRE}>
        <code>
          <PythonTokens code={code} />
        </code>
      </pre>
    </figure>
  );
}

/** A step verbatim (pseudocode stays plain monospace); fenced Python inside it is coloured, fences dimmed. */
export function StepTextBlock({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  const segments = useMemo(() => splitFencedCode(text), [text]);
  return (
    <figure className={FIGURE}>
      {label ? <figcaption className={CAPTION}>{label}</figcaption> : null}
      <pre className={PRE} data-testid={testId}>
        {segments.map((segment, i) =>
          segment.kind === "text" ? (
            <span key={i}>{segment.text}</span>
          ) : (
            <span key={i}>
              <span className="text-slate-500">{segment.open}</span>
              {isPythonFence(segment.language) ? <PythonTokens code={segment.code} /> : segment.code}
              <span className="text-slate-500">{segment.close}</span>
            </span>
          ),
        )}
      </pre>
    </figure>
  );
}
