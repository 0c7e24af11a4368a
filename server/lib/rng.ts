// Seeded randomness for the search: sfc32 (a small, fast, well-tested 128-bit-state generator) seeded through
// splitmix32. The search never calls Math.random, so a seed fixes the tree.

/** Uniform in [0, 1), like Math.random. */
export type Random = () => number;
export type RandomFactory = (seed: number) => Random;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const next = splitmix32(seed);
  let a = next();
  let b = next();
  let c = next();
  let d = next();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** A seed for a sub-stream (e.g. one per rollout), so a resumed search draws what an uninterrupted one would. */
export function deriveSeed(seed: number, ...labels: number[]): number {
  let h = splitmix32(seed)();
  for (const label of labels) h = splitmix32((h ^ Math.imul(label >>> 0, 0x27d4eb2d)) >>> 0)();
  return h;
}

/** An integer in [0, bound). */
export function randomInt(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}
