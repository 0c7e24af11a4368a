// A JSON parser for dataset files, used instead of JSON.parse for two reasons found in the real EvalPlus data:
// 1. Python's `json.dumps` writes NaN, Infinity and -Infinity (MbppPlus.jsonl.gz has 15 of them); JSON.parse rejects
//    the whole line.
// 2. Test inputs must reach the Python sandbox exactly as written. Through a JS number, 2,594 HumanEval+ and 1,228
//    MBPP+ integers beyond 2^53 would lose digits and every float like `1.0` would turn into the int `1`. So the raw
//    text of selected array fields (`rawArrayFields`, e.g. `plus_input`) is kept element by element.
// Everything else is strict JSON: no comments, no trailing commas, no control characters inside strings, and no
// duplicate keys (a duplicated key in a hand-written file is almost always a mistake that JSON.parse would hide).

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset into the parsed text where the problem is. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

export interface JsonParseOptions {
  /** Keys of the record object whose array elements' raw JSON text should be kept. */
  rawArrayFields?: ReadonlySet<string>;
}

export interface ParsedRecord {
  value: unknown;
  rawArrays: Map<string, string[]>;
}

const NO_RAW_FIELDS: ReadonlySet<string> = new Set();

/** Parses one complete JSON document (a JSONL line, or a whole .json file). */
export function parseJsonRecord(text: string, options: JsonParseOptions = {}): ParsedRecord {
  const parser = new JsonParser(text, options.rawArrayFields ?? NO_RAW_FIELDS);
  parser.skipWhitespace();
  const record = parser.parseRecord();
  parser.expectEnd();
  return record;
}

/**
 * Parses a .json file holding either one record object or an array of them, calling `onRecord` per element with
 * its 1-based index and the offset where it starts (the caller turns offsets into line numbers only on error).
 */
export function parseJsonRecordList(
  text: string,
  options: JsonParseOptions,
  onRecord: (record: ParsedRecord, index: number, offset: number) => void,
): void {
  const parser = new JsonParser(text, options.rawArrayFields ?? NO_RAW_FIELDS);
  parser.skipWhitespace();
  if (parser.peek() !== CH_LBRACKET) {
    const offset = parser.pos;
    onRecord(parser.parseRecord(), 1, offset);
    parser.expectEnd();
    return;
  }
  parser.pos++;
  parser.skipWhitespace();
  let index = 0;
  if (parser.peek() === CH_RBRACKET) {
    parser.pos++;
  } else {
    for (;;) {
      parser.skipWhitespace();
      const offset = parser.pos;
      onRecord(parser.parseRecord(), ++index, offset);
      parser.skipWhitespace();
      const ch = parser.peek();
      parser.pos++;
      if (ch === CH_RBRACKET) break;
      if (ch !== CH_COMMA) throw parser.unexpected(parser.pos - 1, "expected ',' or ']' after an array element");
    }
  }
  parser.expectEnd();
}

/** 1-based line and column of an offset, for error messages. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === CH_NEWLINE) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const CH_TAB = 9;
const CH_NEWLINE = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_0 = 48;
const CH_9 = 57;
const CH_COLON = 58;
const CH_E_UPPER = 69;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_E_LOWER = 101;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class JsonParser {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly rawArrayFields: ReadonlySet<string>,
  ) {}

  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const ch = text.charCodeAt(pos);
      if (ch !== CH_SPACE && ch !== CH_NEWLINE && ch !== CH_CR && ch !== CH_TAB) break;
      pos++;
    }
    this.pos = pos;
  }

  expectEnd(): void {
    this.skipWhitespace();
    if (this.pos < this.text.length) throw this.unexpected(this.pos, "unexpected text after the JSON value");
  }

  unexpected(offset: number, message: string): JsonSyntaxError {
    if (offset >= this.text.length) return new JsonSyntaxError(`${message} (the text ends too early)`, offset);
    const found = JSON.stringify(this.text.slice(offset, offset + 12));
    return new JsonSyntaxError(`${message}, found ${found}`, offset);
  }

  /** A record: like parseValue, but a top-level object keeps the raw text of the configured array fields. */
  parseRecord(): ParsedRecord {
    const rawArrays = new Map<string, string[]>();
    if (this.peek() !== CH_LBRACE || this.rawArrayFields.size === 0) return { value: this.parseValue(), rawArrays };
    const value = this.parseObject((key) => {
      if (!this.rawArrayFields.has(key) || this.peek() !== CH_LBRACKET) return undefined;
      const raw: string[] = [];
      rawArrays.set(key, raw);
      return this.parseArray(raw);
    });
    return { value, rawArrays };
  }

  parseValue(): unknown {
    const ch = this.peek();
    if (ch === CH_QUOTE) return this.parseString();
    if (ch === CH_LBRACE) return this.parseObject();
    if (ch === CH_LBRACKET) return this.parseArray();
    if (ch === CH_MINUS || (ch >= CH_0 && ch <= CH_9)) return this.parseNumber();
    if (this.matchWord("true")) return true;
    if (this.matchWord("false")) return false;
    if (this.matchWord("null")) return null;
    if (this.matchWord("NaN")) return Number.NaN;
    if (this.matchWord("Infinity")) return Number.POSITIVE_INFINITY;
    throw this.unexpected(this.pos, "expected a JSON value");
  }

  private matchWord(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  /** `fieldParser` lets parseRecord take over the value of selected keys; it returns undefined to decline. */
  private parseObject(fieldParser?: (key: string) => unknown[] | undefined): Record<string, unknown> {
    const start = this.pos;
    this.pos++;
    const object: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.peek() === CH_RBRACE) {
      this.pos++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() !== CH_QUOTE) throw this.unexpected(this.pos, "expected a quoted key");
      const keyOffset = this.pos;
      const key = this.parseString();
      this.skipWhitespace();
      if (this.peek() !== CH_COLON) throw this.unexpected(this.pos, "expected ':' after a key");
      this.pos++;
      this.skipWhitespace();
      const value = fieldParser?.(key) ?? this.parseValue();
      if (Object.hasOwn(object, key)) throw new JsonSyntaxError(`duplicate key ${JSON.stringify(key)}`, keyOffset);
      // Assignment to "__proto__" would replace the prototype instead of adding a field.
      if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      this.skipWhitespace();
      const ch = this.peek();
      this.pos++;
      if (ch === CH_RBRACE) return object;
      if (ch !== CH_COMMA) throw this.unexpected(this.pos - 1, `expected ',' or '}' in the object starting at offset ${start}`);
    }
  }

  /** When `raw` is given, each element's source text is pushed to it as well. */
  private parseArray(raw?: string[]): unknown[] {
    this.pos++;
    const array: unknown[] = [];
    this.skipWhitespace();
    if (this.peek() === CH_RBRACKET) {
      this.pos++;
      return array;
    }
    for (;;) {
      this.skipWhitespace();
      const elementStart = this.pos;
      array.push(this.parseValue());
      if (raw) raw.push(this.text.slice(elementStart, this.pos));
      this.skipWhitespace();
      const ch = this.peek();
      this.pos++;
      if (ch === CH_RBRACKET) return array;
      if (ch !== CH_COMMA) throw this.unexpected(this.pos - 1, "expected ',' or ']' in an array");
    }
  }

  private parseString(): string {
    const text = this.text;
    const start = ++this.pos;
    let pos = start;
    // Fast path: most strings have no escapes, so they are one slice.
    for (;;) {
      const ch = text.charCodeAt(pos);
      if (ch === CH_QUOTE) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (ch === CH_BACKSLASH) break;
      if (ch < 0x20 || Number.isNaN(ch)) throw this.badStringChar(pos);
      pos++;
    }
    let out = text.slice(start, pos);
    for (;;) {
      const ch = text.charCodeAt(pos);
      if (ch === CH_QUOTE) {
        this.pos = pos + 1;
        return out;
      }
      if (ch === CH_BACKSLASH) {
        const next = text[pos + 1];
        if (next === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.unexpected(pos, "invalid \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          pos += 6;
        } else {
          const escaped = next === undefined ? undefined : ESCAPES[next];
          if (escaped === undefined) throw this.unexpected(pos, "invalid escape in a string");
          out += escaped;
          pos += 2;
        }
        continue;
      }
      if (ch < 0x20 || Number.isNaN(ch)) throw this.badStringChar(pos);
      const runStart = pos;
      while (pos < text.length) {
        const c = text.charCodeAt(pos);
        if (c === CH_QUOTE || c === CH_BACKSLASH || c < 0x20) break;
        pos++;
      }
      out += text.slice(runStart, pos);
    }
  }

  private badStringChar(pos: number): JsonSyntaxError {
    if (pos >= this.text.length) return new JsonSyntaxError("unterminated string", pos);
    return new JsonSyntaxError("raw control character inside a string (write it as an escape such as \\n)", pos);
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === CH_MINUS) {
      pos++;
      if (text.startsWith("Infinity", pos)) {
        this.pos = pos + "Infinity".length;
        return Number.NEGATIVE_INFINITY;
      }
    }
    const intStart = pos;
    while (isDigit(text.charCodeAt(pos))) pos++;
    if (pos === intStart) throw this.unexpected(start, "invalid number");
    if (text.charCodeAt(intStart) === CH_0 && pos - intStart > 1) throw this.unexpected(start, "numbers must not have leading zeros");
    if (text.charCodeAt(pos) === CH_DOT) {
      const fracStart = ++pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (pos === fracStart) throw this.unexpected(start, "invalid number");
    }
    const e = text.charCodeAt(pos);
    if (e === CH_E_LOWER || e === CH_E_UPPER) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === CH_PLUS || sign === CH_MINUS) pos++;
      const expStart = pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (pos === expStart) throw this.unexpected(start, "invalid number");
    }
    this.pos = pos;
    return Number(text.slice(start, pos));
  }
}

function isDigit(ch: number): boolean {
  return ch >= CH_0 && ch <= CH_9;
}
