// Seeded pseudo-random numbers for the model generator. Everything here is plain integer and IEEE
// double arithmetic, so a given seed yields the same sequence on every platform.

/** splitmix32: spreads a small integer seed into well-mixed 32-bit words. */
function splitmix32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded through splitmix32.
 * Returns an object with uniform(), int(n), gaussian() and shuffle(array).
 */
export function createRng(seed) {
  const mix = splitmix32(seed);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();

  /** Uniform in [0, 1) with 32 bits of resolution. */
  const uniform = () => next() / 4294967296;
  let spare = null;
  return {
    uniform,
    /** Uniform integer in [0, n). */
    int: (n) => Math.floor(uniform() * n),
    /** Standard normal by the Box–Muller transform (V8 computes log/sqrt/cos/sin with fdlibm ports). */
    gaussian() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      const u1 = 1 - uniform(); // (0, 1]
      const u2 = uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    /** Fisher–Yates shuffle in place. */
    shuffle(array) {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
  };
}
