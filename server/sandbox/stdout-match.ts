// How stdio tests compare output: line by line, ignoring trailing whitespace on each line (spaces, tabs, \r) and
// trailing blank lines at the end. Leading whitespace, blank lines in the middle and everything else must match,
// so "1 2\n" matches "1 2   \r\n\n" but not "1  2" or " 1 2".

export function normaliseStdout(text: string): string[] {
  const lines = text.split("\n").map((line) => line.replace(/[ \t\r\f\v]+$/, ""));
  while (lines.at(-1) === "") lines.pop(); // an empty list's at(-1) is undefined: the loop stops there too
  return lines;
}

/** null when the outputs match; otherwise where they first differ, for the test's error message. */
export function describeStdoutMismatch(actual: string, expected: string): string | null {
  const got = normaliseStdout(actual);
  const want = normaliseStdout(expected);
  const length = Math.max(got.length, want.length);
  for (let i = 0; i < length; i++) {
    if (got[i] === want[i]) continue;
    if (got[i] === undefined) return `output ended after ${got.length} lines; expected line ${i + 1}: ${quote(want[i]!)}`;
    if (want[i] === undefined) return `expected ${want.length} lines; got more, line ${i + 1}: ${quote(got[i]!)}`;
    return `line ${i + 1}: expected ${quote(want[i]!)}, got ${quote(got[i]!)}`;
  }
  return null;
}

function quote(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}
