// Shared by the tests: a seeded PRNG, the named tolerance and a closeness assertion.
import assert from 'node:assert/strict'
import zlib from 'node:zlib'

/** Relative-or-absolute tolerance of every numeric comparison: |a - b| <= TOL * max(1, |b|). */
export const TOL = 1e-12

/** Two-sided 95% normal critical value, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054

/** Mulberry32: a small seeded PRNG, so every random test is reproducible. */
export function prng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    /** An integer in lo..=hi. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  }
}

export function close(actual, expected, message, tol = TOL) {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${message}: ${actual} vs ${expected}`,
  )
}

/** Random NPS answers 0-10 with about `missingRate` of them null. */
export function randomAnswers(rng, n, missingRate = 0.1) {
  return Array.from({ length: n }, () => (rng.next() < missingRate ? null : rng.int(0, 10)))
}

/**
 * A copy of serialised summary bytes (any cxkit framing: magic, u16 version, u16 flags, body,
 * CRC-32) claiming format version `version`, with the checksum recomputed so that only the
 * version is wrong.
 */
export function withVersion(bytes, version) {
  const b = Buffer.from(bytes)
  b.writeUInt16LE(version, 4)
  b.writeUInt32LE(zlib.crc32(b.subarray(0, b.length - 4)), b.length - 4)
  return b
}
