// The bounded end of a job's output: what the database keeps and the UI shows. Trainers print progress bars with
// carriage returns; only the last state of such a line is kept.
export const LOG_TAIL_MAX_CHARS = 16_000;

export interface LogTail {
  /** Output as it arrives (the command backend's pipes). */
  append(chunk: string): void;
  /** The whole log so far (Ray returns the full log on every poll). */
  replace(text: string): void;
  text(): string;
  /** True once since the last call when the text changed: saves a write per poll when nothing happened. */
  takeChanged(): boolean;
}

export function createLogTail(maxChars = LOG_TAIL_MAX_CHARS): LogTail {
  let text = "";
  let changed = false;
  const keepEnd = (value: string) => (value.length > maxChars ? value.slice(value.length - maxChars) : value);
  return {
    append(chunk) {
      if (chunk === "") return;
      text = keepEnd(collapseCarriageReturns(text + chunk));
      changed = true;
    },
    replace(full) {
      const next = keepEnd(collapseCarriageReturns(full));
      if (next !== text) changed = true;
      text = next;
    },
    text: () => text,
    takeChanged() {
      const was = changed;
      changed = false;
      return was;
    },
  };
}

/** "a\rb\rc\n" → "c\n": a progress bar's earlier states are noise in a bounded tail. */
function collapseCarriageReturns(text: string): string {
  return text.replace(/[^\n]*\r(?!\n)/g, "");
}
