// Values crossing the sandbox boundary (call-test arguments, expected values, return values) are JSON in Python's
// dialect (NaN / Infinity allowed, integers of any size) plus one-key tagged objects for what JSON cannot say:
//   {"$tuple": [...]}  {"$set": [...]}  {"$frozenset": [...]}  {"$dict": [[key, value], ...]} (non-string keys)
//   {"$float": "nan" | "inf" | "-inf"}  {"$complex": [re, im]}  {"$bytes": "<base64>"}
//   {"$opaque": {"type", "repr"}}  (a value of another type; never equal to anything)
// A JSON array is a Python list, an object with string keys a dict. The forkserver decodes arguments this way and
// encodes return values this way, so a value computed from a reference solution round-trips exactly.
//
// Equality follows Python's `==` on those values: 1 == 1.0 == True, a list never equals a tuple, a set equals a
// frozenset with the same elements, dict order is irrelevant. With `atol`, two numbers within atol are equal and NaN
// equals NaN (as numpy's assert_allclose, which EvalPlus uses); set elements and dict keys are always exact.

export type WireValue = null | boolean | number | bigint | string | WireValue[] | { [key: string]: WireValue };

const TAGS = new Set(["$tuple", "$set", "$frozenset", "$dict", "$float", "$complex", "$bytes", "$opaque"]);

// ---------------------------------------------------------------------------------------------------------------
// Parsing: JSON.parse would round integers beyond 2^53, so this small parser keeps them as bigint.

export class WireParseError extends Error {}

export function parseWireJson(text: string): WireValue {
  const parser = new WireParser(text);
  const value = parser.value();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("unexpected text after the value");
  return value;
}

class WireParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(why: string): never {
    throw new WireParseError(`${why} at offset ${this.pos}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  value(): WireValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.nested(() => this.object());
    if (c === "[") return this.nested(() => this.array());
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of WORDS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail("unexpected character");
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > 1000) this.fail("nested too deeply");
    const value = parse();
    this.depth--;
    return value;
  }

  private object(): { [key: string]: WireValue } {
    this.pos++; // {
    const result: { [key: string]: WireValue } = {};
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      Object.defineProperty(result, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.separator("}")) return result;
    }
  }

  private array(): WireValue[] {
    this.pos++; // [
    const result: WireValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipSpace();
      if (this.separator("]")) return result;
    }
  }

  /** Consumes the ',' between items (false) or the closing bracket (true); an error names the offending character's
   * offset. */
  private separator(close: "}" | "]"): boolean {
    const next = this.text[this.pos];
    if (next !== "," && next !== close) this.fail(`expected ',' or '${close}'`);
    this.pos++;
    return next === close;
  }

  private string(): string {
    // Find the closing quote (skipping escapes), then let JSON.parse validate and decode the literal.
    let end = this.pos + 1;
    for (;;) {
      const c = this.text.charCodeAt(end);
      if (Number.isNaN(c)) this.fail("unterminated string");
      if (c === 0x22) break;
      end += c === 0x5c ? 2 : 1;
    }
    const literal = this.text.slice(this.pos, end + 1);
    try {
      const decoded = JSON.parse(literal) as string;
      this.pos = end + 1;
      return decoded;
    } catch {
      return this.fail("invalid string");
    }
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const found = NUMBER.exec(this.text); // sticky: a match starts exactly at this.pos
    if (!found) {
      if (this.text.startsWith("-Infinity", this.pos)) {
        this.pos += 9;
        return -Infinity;
      }
      this.fail("invalid number");
    }
    this.pos += found[0].length;
    const literal = found[0];
    if (!/[.eE]/.test(literal)) {
      const asNumber = Number(literal);
      return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
    }
    return Number(literal);
  }
}

const WORDS: [string, WireValue][] = [
  ["true", true],
  ["false", false],
  ["null", null],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// ---------------------------------------------------------------------------------------------------------------
// Equality

type Tagged = { tag: string; inner: WireValue };

function tagOf(value: WireValue): Tagged | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !TAGS.has(keys[0]!)) return null;
  return { tag: keys[0]!, inner: value[keys[0]!]! };
}

type Numeric = { re: number | bigint; im: number | bigint };

/** The value as a (complex) number when Python would compare it numerically, else null. */
function numericOf(value: WireValue): Numeric | null {
  if (typeof value === "number" || typeof value === "bigint") return { re: value, im: 0 };
  if (typeof value === "boolean") return { re: value ? 1 : 0, im: 0 };
  const tagged = tagOf(value);
  if (tagged?.tag === "$float") {
    const special = { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, "-inf": Number.NEGATIVE_INFINITY }[String(tagged.inner)];
    return special === undefined ? null : { re: special, im: 0 };
  }
  if (tagged?.tag === "$complex" && Array.isArray(tagged.inner) && tagged.inner.length === 2) {
    const [re, im] = tagged.inner.map(numericOf);
    return re && im ? { re: re.re, im: im.re } : null;
  }
  return null;
}

function realEqual(a: number | bigint, b: number | bigint, atol: number): boolean {
  if (typeof a === "bigint" && typeof b === "bigint") return a === b || (atol > 0 && Math.abs(Number(a - b)) <= atol);
  if (typeof a === "number" && typeof b === "number") {
    if (a === b) return true;
    if (atol <= 0) return false;
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return Math.abs(a - b) <= atol;
  }
  const big = (typeof a === "bigint" ? a : b) as bigint;
  const num = (typeof a === "number" ? a : b) as number;
  if (Number.isInteger(num) && BigInt(num) === big) return true; // exact, as Python compares int with float
  return atol > 0 && Number.isFinite(num) && Math.abs(Number(big) - num) <= atol;
}

export function wireEqual(a: WireValue, b: WireValue, atol = 0): boolean {
  const na = numericOf(a);
  const nb = numericOf(b);
  if (na || nb) return !!na && !!nb && realEqual(na.re, nb.re, atol) && realEqual(na.im, nb.im, atol);
  if (a === null || b === null || typeof a === "string" || typeof b === "string") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && sequenceEqual(a, b, atol);
  const ta = tagOf(a);
  const tb = tagOf(b);
  if (isDictLike(ta) && isDictLike(tb)) return dictEqual(dictEntries(a, ta), dictEntries(b, tb), atol);
  if (!ta || !tb) return false;
  if (ta.tag === "$tuple" && tb.tag === "$tuple") return Array.isArray(ta.inner) && Array.isArray(tb.inner) && sequenceEqual(ta.inner, tb.inner, atol);
  if (isSetTag(ta.tag) && isSetTag(tb.tag)) return setEqual(ta.inner, tb.inner);
  if (ta.tag === "$bytes" && tb.tag === "$bytes") return ta.inner === tb.inner;
  return false; // $opaque, or different kinds
}

function sequenceEqual(a: WireValue[], b: WireValue[], atol: number): boolean {
  return a.length === b.length && a.every((item, i) => wireEqual(item, b[i]!, atol));
}

function isSetTag(tag: string): boolean {
  return tag === "$set" || tag === "$frozenset";
}

/** Only asked once null, strings, numbers and lists are decided: an untagged value is then a plain object, a dict. */
function isDictLike(tagged: Tagged | null): boolean {
  return !tagged || tagged.tag === "$dict";
}

function dictEntries(value: WireValue, tagged: Tagged | null): [WireValue, WireValue][] {
  if (tagged) return Array.isArray(tagged.inner) ? tagged.inner.map((pair) => (Array.isArray(pair) ? [pair[0] ?? null, pair[1] ?? null] : [null, null])) : [];
  return Object.entries(value as { [key: string]: WireValue });
}

function dictEqual(a: [WireValue, WireValue][], b: [WireValue, WireValue][], atol: number): boolean {
  const mapA = new Map(a.map(([k, v]) => [hashKey(k), v]));
  const mapB = new Map(b.map(([k, v]) => [hashKey(k), v]));
  if (mapA.size !== mapB.size) return false;
  for (const [key, value] of mapA) {
    if (!mapB.has(key) || !wireEqual(value, mapB.get(key)!, atol)) return false;
  }
  return true;
}

function setEqual(a: WireValue, b: WireValue): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const keysA = new Set(a.map(hashKey));
  const keysB = new Set(b.map(hashKey));
  return keysA.size === keysB.size && [...keysA].every((key) => keysB.has(key));
}

/** A string that is equal for two values exactly when Python's hash-based containers treat them as the same key. */
export function hashKey(value: WireValue): string {
  const numeric = numericOf(value);
  if (numeric) {
    const re = numberKey(numeric.re);
    return numeric.im === 0 || numeric.im === 0n ? re : `c:${re},${numberKey(numeric.im)}`;
  }
  if (value === null) return "none";
  if (typeof value === "string") return `s:${JSON.stringify(value)}`;
  const tagged = tagOf(value);
  if (tagged?.tag === "$tuple" && Array.isArray(tagged.inner)) return `t:[${tagged.inner.map(hashKey).join(",")}]`;
  if (tagged && isSetTag(tagged.tag) && Array.isArray(tagged.inner)) return `fs:{${[...new Set(tagged.inner.map(hashKey))].sort().join(",")}}`;
  if (tagged?.tag === "$bytes") return `b:${String(tagged.inner)}`;
  return `x:${stableText(value)}`; // unhashable in Python; only equal to an identical value
}

function numberKey(value: number | bigint): string {
  if (typeof value === "bigint") return `i:${value}`;
  if (Number.isNaN(value)) return "f:nan";
  if (Number.isInteger(value)) return `i:${BigInt(value)}`;
  return `f:${value}`;
}

function stableText(value: WireValue): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

// ---------------------------------------------------------------------------------------------------------------
// Plain values: ints, bools, strings, None, lists and tuples (nested), as the harness writes them. On these Node
// knows Python's `==` (wireEqual) and the harness's repr exactly, so verdict.ts can word an assert's failure on one
// as the judge would.

/** Deepest plain value read (the judge's is_plain_value stops at 100 too). */
const PLAIN_DEPTH = 100;
/** Python refuses to read an int of more digits from text (sys.get_int_max_str_digits()); the harness writes one as
 * $opaque. */
const PLAIN_INT_DIGITS = 4300;

/** The value when `text` is exactly the wire text the harness writes for a plain value (json.dumps with separators
 * (",", ":") and ensure_ascii), else undefined. Exactly: "7.0" reads as 7 here but is a float in Python, "1e2" too,
 * so only the harness's own spelling of an int is taken for one. */
export function plainWireValue(text: string): WireValue | undefined {
  let value: WireValue;
  try {
    value = parseWireJson(text);
  } catch {
    return undefined;
  }
  return plainWireText(value, 0) === text ? value : undefined;
}

function plainWireText(value: WireValue, depth: number): string | null {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : null; // -0 reads back as "0"
  if (typeof value === "bigint") return value.toString().replace("-", "").length <= PLAIN_INT_DIGITS ? value.toString() : null;
  if (typeof value === "string") return pythonJsonString(value);
  if (depth >= PLAIN_DEPTH) return null;
  const tuple = tagOf(value);
  const items = Array.isArray(value) ? value : tuple?.tag === "$tuple" ? tuple.inner : null;
  if (!Array.isArray(items)) return null;
  const texts: string[] = [];
  for (const item of items) {
    const text = plainWireText(item, depth + 1);
    if (text === null) return null;
    texts.push(text);
  }
  return Array.isArray(value) ? `[${texts.join(",")}]` : `{"$tuple":[${texts.join(",")}]}`;
}

/** Python's json.dumps(text, ensure_ascii=True): JSON.stringify's escapes, plus \uXXXX for DEL and beyond ASCII. */
function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** harness.py's safe_repr of a plain value: reprlib.Repr with maxlevel 6, maxlong 40, maxstring 160, maxlist and
 * maxtuple 12 (bool and None through repr_instance, maxother 160, which they never reach). null when a string it
 * shows has a character beyond ASCII: which of those Python's repr escapes depends on its Unicode tables. */
export function plainValueRepr(value: WireValue, level = 6): string | null {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number" || typeof value === "bigint") return shortened(String(value), 40);
  if (typeof value === "string") return stringRepr(value);
  if (Array.isArray(value)) return iterableRepr(value, level, "[", "]", "");
  const tuple = tagOf(value);
  return tuple?.tag === "$tuple" && Array.isArray(tuple.inner) ? iterableRepr(tuple.inner, level, "(", ")", ",") : null;
}

/** reprlib's cut of a long repr: the head, "...", the tail. (String.slice with a negative start counts from the end,
 * as Python's slices do.) */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.max(0, Math.floor((max - 3) / 2));
  const tail = Math.max(0, max - 3 - head);
  return `${text.slice(0, head)}...${text.slice(text.length - tail)}`;
}

function stringRepr(text: string): string | null {
  if (/[^\p{ASCII}]/u.test(text)) return null;
  const max = 160;
  const whole = asciiStringRepr(text.slice(0, max));
  if (whole.length <= max) return whole;
  // reprlib: the repr of the string's head and tail, then cut again.
  const head = Math.floor((max - 3) / 2);
  const tail = max - 3 - head;
  const cut = asciiStringRepr(text.slice(0, head) + text.slice(text.length - tail));
  return `${cut.slice(0, head)}...${cut.slice(cut.length - tail)}`;
}

/** Python's repr of an ASCII string: single quotes unless it holds one and no double quote; \t \n \r, \xNN for
 * the other control characters and DEL. */
function asciiStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return out + quote;
}

function iterableRepr(items: WireValue[], level: number, open: string, close: string, trail: string): string | null {
  if (level <= 0 && items.length > 0) return `${open}...${close}`;
  const pieces: string[] = [];
  for (const item of items.slice(0, 12)) {
    const piece = plainValueRepr(item, level - 1);
    if (piece === null) return null;
    pieces.push(piece);
  }
  if (items.length > 12) pieces.push("...");
  return `${open}${pieces.join(", ")}${items.length === 1 ? trail : ""}${close}`;
}

/** Short human-readable rendering of wire JSON text for messages. */
export function previewWire(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
