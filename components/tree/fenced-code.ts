// Step text mixes prose/pseudocode with fenced code blocks (a code step opens a ```python block). Splitting them lets
// the inspector colour the code while still showing the step exactly as generated: the split is lossless.

export type StepSegment =
  | { kind: "text"; text: string }
  /** `open` is the fence line with its newline, `close` the closing fence ("" when the step ends inside the block). */
  | { kind: "code"; language: string; open: string; code: string; close: string };

// An opening fence at a line start, its info string, then everything up to a closing fence line or the end of the text
// (a step cut off by the token limit leaves its block open).
const FENCE = /^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)(?:^[ \t]*```[ \t]*$|(?![\s\S]))/gm;

export function splitFencedCode(text: string): StepSegment[] {
  const segments: StepSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(FENCE)) {
    const whole = match[0];
    const start = match.index;
    const code = match[2] ?? "";
    const open = whole.slice(0, whole.indexOf("\n") + 1);
    if (start > last) segments.push({ kind: "text", text: text.slice(last, start) });
    segments.push({ kind: "code", language: (match[1] ?? "").toLowerCase(), open, code, close: whole.slice(open.length + code.length) });
    last = start + whole.length;
  }
  if (last < text.length) segments.push({ kind: "text", text: text.slice(last) });
  return segments;
}

/** Python, or unlabelled (the prompts only ever ask for Python). */
export function isPythonFence(language: string): boolean {
  return language === "" || language === "python" || language === "py" || language === "python3";
}
