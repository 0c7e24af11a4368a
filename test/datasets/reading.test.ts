// File reading: the JSON dialect, record locations, gzip/.json/.jsonl handling, and the error messages.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../server/errors.ts";
import { parseJsonRecord } from "../../server/datasets/json-text.ts";
import { readDatasetFile } from "../../server/datasets/read-records.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

async function readError(fileName: string, content: Uint8Array | string): Promise<ValidationError> {
  const error = await readDatasetFile({ fileName, bytes: typeof content === "string" ? bytes(content) : content }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe("parseJsonRecord", () => {
  it("reads Python's json dialect: NaN, Infinity and -Infinity", () => {
    expect(parseJsonRecord('{"a": [NaN, Infinity, -Infinity, -0.5, 1e3]}').value).toEqual({
      a: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5, 1000],
    });
  });

  it("keeps the exact text of raw array fields, so big integers and 1.0 survive", () => {
    const { value, rawArrays } = parseJsonRecord('{"plus_input": [[12345678901234567890, 1.0], [ "x" , {"k": [1]} ]], "other": [1]}', {
      rawArrayFields: new Set(["plus_input"]),
    });
    expect(rawArrays.get("plus_input")).toEqual(["[12345678901234567890, 1.0]", '[ "x" , {"k": [1]} ]']);
    expect(rawArrays.has("other")).toBe(false);
    expect((value as { plus_input: unknown[] }).plus_input).toHaveLength(2);
  });

  it("decodes escapes, including surrogate pairs", () => {
    expect(parseJsonRecord(String.raw`{"s": "a\n\t\"\\\/\u00e9\ud83d\ude00"}`).value).toEqual({ s: 'a\n\t"\\/é😀' });
  });

  it("stores a __proto__ key as data instead of changing the prototype", () => {
    const value = parseJsonRecord('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it.each([
    ['{"a": 1,}', /expected a quoted key/],
    ['{"a": 1} x', /unexpected text after/],
    ['{"a": "b', /unterminated string/],
    ['{"a": 01}', /leading zeros/],
    ['{"a": 1, "a": 2}', /duplicate key "a"/],
    ['{"a": "tab\there"}', /raw control character/],
    ["{'a': 1}", /expected a quoted key/],
    ['{"a": tru}', /expected a JSON value/],
  ])("rejects %s", (text, message) => {
    expect(() => parseJsonRecord(text)).toThrow(message);
  });
});

describe("readDatasetFile", () => {
  it("reads JSONL records with their 1-based line numbers, skipping blank lines and CRLF endings", async () => {
    const file = await readDatasetFile({ fileName: "x.jsonl", bytes: bytes('{"id": 1}\r\n\r\n  \n{"id": 2}\n') });
    expect(file.records.map((r) => [r.value, r.location])).toEqual([
      [{ id: 1 }, { file: "x.jsonl", line: 1 }],
      [{ id: 2 }, { file: "x.jsonl", line: 4 }],
    ]);
  });

  it("ignores a UTF-8 byte order mark", async () => {
    const file = await readDatasetFile({ fileName: "bom.jsonl", bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"id": "é"}\n')]) });
    expect(file.records.map((r) => r.value)).toEqual([{ id: "é" }]);
  });

  it("reports invalid JSON with file:line and column", async () => {
    const error = await readError("bad.jsonl", '{"id": 1}\n{"id": 2}\n{"id": 3,, }\n');
    expect(error.where).toBe("bad.jsonl:3");
    expect(error.message).toMatch(/^bad\.jsonl:3: invalid JSON at column 10: expected a quoted key/);
  });

  it("reads a .json array as records numbered from 1, and a single .json object as one record", async () => {
    const array = await readDatasetFile({ fileName: "a.json", bytes: bytes('[\n {"id": "a"},\n {"id": "b"}\n]') });
    expect(array.records.map((r) => r.location)).toEqual([
      { file: "a.json", record: 1 },
      { file: "a.json", record: 2 },
    ]);
    const single = await readDatasetFile({ fileName: "one.json", bytes: bytes('{"id": "only"}') });
    expect(single.records.map((r) => r.value)).toEqual([{ id: "only" }]);
  });

  it("reports invalid JSON in a .json file with its line", async () => {
    const error = await readError("a.json", '[\n {"id": "a"},\n {"id": "b" "c"}\n]');
    expect(error.where).toBe("a.json:3");
  });

  it("gunzips .jsonl.gz and hashes the decoded bytes", async () => {
    const text = '{"id": 1}\n';
    const plain = await readDatasetFile({ fileName: "p.jsonl", bytes: bytes(text) });
    const gz = await readDatasetFile({ fileName: "p.jsonl.gz", bytes: gzipSync(text) });
    expect(gz.records.map((r) => r.value)).toEqual([{ id: 1 }]);
    expect(gz.sha256).toBe(plain.sha256);
    expect(gz.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses mismatched gzip names, other extensions, non-UTF-8 and empty .json", async () => {
    expect((await readError("p.jsonl.gz", "{}")).message).toMatch(/named \.gz but is not gzip/);
    expect((await readError("p.jsonl", gzipSync("{}"))).message).toMatch(/gzip data but its name does not end in \.gz/);
    expect((await readError("p.csv", "a,b")).message).toMatch(/unsupported file type/);
    expect((await readError("p.jsonl", new Uint8Array([0x7b, 0xff, 0x7d]))).message).toMatch(/not valid UTF-8/);
    expect((await readError("p.json", "  \n")).message).toMatch(/empty/);
  });

  it("reports a missing path as a ValidationError naming it", async () => {
    const error = await readDatasetFile({ path: "/nonexistent/dir/mbpp.jsonl" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe("/nonexistent/dir/mbpp.jsonl: no such file");
  });
});
