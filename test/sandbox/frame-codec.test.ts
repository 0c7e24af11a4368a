import { describe, expect, it } from "vitest";
import { encodeFrame, FrameDecoder } from "../../server/sandbox/frame-codec.ts";
import { describeStdoutMismatch, normaliseStdout } from "../../server/sandbox/stdout-match.ts";

describe("frame codec", () => {
  it("reassembles frames split across chunks and splits frames sharing a chunk", () => {
    const bytes = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame({ b: "é" }), encodeFrame([3])]);
    const decoder = new FrameDecoder(1024);
    const bodies: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) bodies.push(...decoder.push(bytes.subarray(i, i + 3)));
    expect(bodies.map((body) => JSON.parse(body))).toEqual([{ a: 1 }, { b: "é" }, [3]]);
    expect(new FrameDecoder(1024).push(bytes)).toHaveLength(3);
  });

  it("refuses a frame larger than its limit", () => {
    expect(() => new FrameDecoder(8).push(encodeFrame("a string longer than eight bytes"))).toThrow(/exceeds/);
  });
});

describe("stdout comparison", () => {
  it("ignores trailing whitespace per line and trailing blank lines only", () => {
    expect(normaliseStdout("1 2  \r\n3\t\n\n\n")).toEqual(["1 2", "3"]);
    expect(describeStdoutMismatch("1 2   \r\n\n", "1 2\n")).toBeNull();
    expect(describeStdoutMismatch(" 1 2\n", "1 2\n")).toMatch(/line 1/);
    expect(describeStdoutMismatch("1\n\n2\n", "1\n2\n")).toMatch(/line 2/);
    expect(describeStdoutMismatch("1\n", "1\n2\n")).toMatch(/ended after 1 lines/);
  });
});
