// Recognises Python literal displays — what `ast.literal_eval` accepts, minus sums of complex numbers: numbers
// (optionally signed, with `j`), strings (any prefix/quote, implicit concatenation), True/False/None, and
// lists/tuples/sets/dicts of those. The HumanEval importer turns a doctest into an assert only when its expected
// output is such a literal: a repr like `<object at 0x…>` or free text would make an assert that can never pass.

export function isPythonLiteral(text: string): boolean {
  const reader = new LiteralReader(text);
  try {
    reader.skipSpace();
    reader.readValue();
    reader.skipSpace();
    return reader.atEnd();
  } catch {
    return false;
  }
}

class NotALiteral extends Error {}

const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/;
const STRING_PREFIX = /^(?:[rRuUbB]|[rR][bB]|[bB][rR])?(?=['"])/;
const KEYWORD = /^(?:True|False|None)(?![\w])/;

class LiteralReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos === this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  readValue(): void {
    const rest = this.text.slice(this.pos);
    const ch = rest[0];
    if (ch === "-" || ch === "+") {
      this.pos++;
      this.skipSpace();
      return this.readNumber();
    }
    if (ch === "[") return this.readSequence("]");
    if (ch === "(") return this.readSequence(")");
    if (ch === "{") return this.readBraces();
    const keyword = KEYWORD.exec(rest);
    if (keyword) {
      this.pos += keyword[0].length;
      return;
    }
    if (STRING_PREFIX.test(rest)) return this.readStrings();
    return this.readNumber();
  }

  private readNumber(): void {
    const match = NUMBER.exec(this.text.slice(this.pos));
    if (!match || match[0] === "") throw new NotALiteral();
    this.pos += match[0].length;
    if (/^[\w.]/.test(this.text.slice(this.pos))) throw new NotALiteral();
  }

  /** One or more adjacent string literals ("a" 'b' is one string in Python). */
  private readStrings(): void {
    do {
      this.readString();
      this.skipSpace();
    } while (STRING_PREFIX.test(this.text.slice(this.pos)));
    this.pos = this.trimBackTo(this.pos);
  }

  /** Steps back over whitespace consumed after the last string, so callers see it again. */
  private trimBackTo(pos: number): number {
    while (pos > 0 && /\s/.test(this.text[pos - 1]!)) pos--;
    return pos;
  }

  private readString(): void {
    const prefix = STRING_PREFIX.exec(this.text.slice(this.pos))!;
    this.pos += prefix[0].length;
    const quoteChar = this.text[this.pos]!;
    const quote = this.text.startsWith(quoteChar.repeat(3), this.pos) ? quoteChar.repeat(3) : quoteChar;
    this.pos += quote.length;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === "\\") {
        this.pos += 2;
        continue;
      }
      if (this.text.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        return;
      }
      if (ch === "\n" && quote.length === 1) break;
      this.pos++;
    }
    throw new NotALiteral();
  }

  /** `[a, b]` or `(a, b)`; a trailing comma is allowed. */
  private readSequence(close: string): void {
    this.pos++;
    this.readItems(close, () => this.readValue());
  }

  /** `{}` (dict), `{a, b}` (set) or `{k: v}` (dict); the first item decides which. */
  private readBraces(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    const start = this.pos;
    this.readValue();
    this.skipSpace();
    const isDict = this.text[this.pos] === ":";
    this.pos = start;
    this.readItems("}", () => {
      this.readValue();
      if (!isDict) return;
      this.skipSpace();
      if (this.text[this.pos] !== ":") throw new NotALiteral();
      this.pos++;
      this.skipSpace();
      this.readValue();
    });
  }

  private readItems(close: string, readItem: () => void): void {
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return;
      }
      readItem();
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === ",") {
        this.pos++;
        continue;
      }
      if (ch === close) {
        this.pos++;
        return;
      }
      throw new NotALiteral();
    }
  }
}
