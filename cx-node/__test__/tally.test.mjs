// Tally: push / extend / merge equal building on the whole data, for any split and any order;
// unit weights equal no weights exactly; bytes and JSON round trips; corrupted input rejected.
//
// Weights are multiples of 1/4 below 4, so every sum of weights and squared weights here is
// exact in binary floating point and tallies built in different orders compare exactly.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Tally, nps, mean } from '../index.js'
import { prng, randomAnswers } from './helpers.mjs'

const rng = prng(2016)

function randomData(n) {
  const values = randomAnswers(rng, n, 0.15)
  const weights = values.map(() => rng.int(0, 16) / 4)
  return { values, weights }
}

function whole(values, weights) {
  const t = new Tally('nps')
  t.extend(values, weights)
  return t
}

/** Build a tally piece by piece: each piece pushed one by one, extended, or merged in. */
function piecewise(values, weights, cuts) {
  const acc = new Tally()
  let start = 0
  for (const end of [...cuts, values.length]) {
    const vs = values.slice(start, end)
    const ws = weights.slice(start, end)
    switch (rng.int(0, 2)) {
      case 0:
        vs.forEach((v, i) => acc.push(v, ws[i]))
        break
      case 1:
        acc.extend(vs, ws)
        break
      default: {
        const part = new Tally()
        part.extend(Float64Array.from(vs, (v) => (v === null ? NaN : v)), Float64Array.from(ws))
        acc.merge(part)
      }
    }
    start = end
  }
  return acc
}

test('push, extend and merge equal the tally of the whole data, for random splits', () => {
  for (let trial = 0; trial < 400; trial++) {
    const { values, weights } = randomData(rng.int(0, 120))
    const cuts = Array.from({ length: rng.int(0, 6) }, () => rng.int(0, values.length)).sort(
      (a, b) => a - b,
    )
    const expected = whole(values, weights)
    const built = piecewise(values, weights, cuts)
    assert.deepEqual(built.toJSON(), expected.toJSON(), `split at ${cuts}`)
    if (expected.totalWeight > 0) {
      assert.deepEqual(nps(built), nps(expected))
    }
  }
})

test('order does not matter', () => {
  for (let trial = 0; trial < 200; trial++) {
    const { values, weights } = randomData(rng.int(1, 150))
    const order = values.map((_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i)
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    const shuffled = whole(
      order.map((i) => values[i]),
      order.map((i) => weights[i]),
    )
    assert.deepEqual(shuffled.toJSON(), whole(values, weights).toJSON())
  }
})

test('unit weights equal unweighted exactly', () => {
  for (let trial = 0; trial < 100; trial++) {
    const { values } = randomData(rng.int(5, 300))
    const plain = new Tally()
    plain.extend(values)
    const ones = whole(values, values.map(() => 1))
    const pushed = new Tally()
    values.forEach((v) => pushed.push(v, 1))
    assert.deepEqual(ones.toJSON(), plain.toJSON())
    assert.deepEqual(pushed.toJSON(), plain.toJSON())
    if (plain.n > 0) {
      for (const method of ['wald', 'adjusted-wald', 'score', 'bootstrap']) {
        assert.deepEqual(nps(ones, { method }), nps(values, { method }))
      }
    }
  }
})

test('getters describe the tally', () => {
  const t = new Tally('csat')
  t.extend([1, 5, null, 5], [2, 0.5, 9, 1])
  t.push(undefined)
  t.push(NaN, 3)
  t.push(3)
  assert.deepEqual(t.counts, [1, 0, 1, 0, 2])
  assert.deepEqual(t.weights, [2, 0, 1, 0, 1.5])
  assert.deepEqual(t.weightsSq, [4, 0, 1, 0, 1.25])
  assert.equal(t.missing, 3)
  assert.equal(t.n, 4)
  assert.equal(t.totalWeight, 4.5)
  assert.equal(t.effectiveN, 4.5 ** 2 / 6.25)
  assert.deepEqual(t.scale, { lowest: 1, highest: 5, topBoxMin: 4, bottomBoxMax: 2 })
  assert.deepEqual(new Tally().scale, { lowest: 0, highest: 10, topBoxMin: 9, bottomBoxMax: 6 })
  assert.match(String(t), /^Tally\(scale=1..=5, n=4, missing=3/)
})

test('a failed push or extend leaves the tally unchanged', () => {
  const t = whole([1, 2, 9], [1, 1, 1])
  const before = t.toJSON()
  assert.throws(() => t.extend([4, 5, 12]), { code: 'CX_OUT_OF_SCALE', index: 2 })
  assert.throws(() => t.push(-1), { code: 'CX_OUT_OF_SCALE', index: 0 })
  assert.throws(() => t.push(1, -2), { code: 'CX_INVALID_WEIGHT', index: 0, value: -2 })
  assert.throws(() => t.merge(new Tally('ces')), { code: 'CX_SCALE_MISMATCH' })
  assert.deepEqual(t.toJSON(), before)
})

test('bytes round trip, from a Buffer or a plain Uint8Array', () => {
  for (let trial = 0; trial < 50; trial++) {
    const { values, weights } = randomData(rng.int(0, 100))
    const t = whole(values, weights)
    const bytes = t.toBytes()
    assert.ok(Buffer.isBuffer(bytes))
    assert.equal(bytes.length, 32 + 24 * 11 + 4)
    assert.deepEqual(Tally.fromBytes(bytes).toJSON(), t.toJSON())
    assert.deepEqual(Tally.fromBytes(new Uint8Array(bytes)).toJSON(), t.toJSON())
  }
})

test('JSON round trip: JSON.stringify, the text and the object', () => {
  const t = whole([0, 7, 9, null, 10], [1, 2.5, 0.25, 1, 3])
  const text = JSON.stringify(t)
  assert.equal(text, JSON.stringify(t.toJSON()))
  const json = JSON.parse(text)
  assert.equal(json.format, 'cxkit.tally')
  assert.equal(json.version, 1)
  assert.deepEqual(json.scale, { lowest: 0, highest: 10, top_box_min: 9, bottom_box_max: 6 })
  assert.deepEqual(Tally.fromJSON(text).toJSON(), json)
  assert.deepEqual(Tally.fromJSON(json).toJSON(), json)
  assert.deepEqual(nps(Tally.fromJSON(text)), nps(t))
  const ces = new Tally('ces')
  ces.extend([7, 6, 5])
  assert.deepEqual(mean(Tally.fromJSON(JSON.stringify(ces))), mean(ces))
})

test('counts beyond 2^32 survive the JSON and bytes round trips', () => {
  const big = 2 ** 40
  const json = {
    format: 'cxkit.tally',
    version: 1,
    scale: { lowest: 1, highest: 5, top_box_min: 4, bottom_box_max: 2 },
    counts: [big, 0, 0, 0, big + 2],
    weights: [big, 0, 0, 0, big + 2],
    weights_sq: [big, 0, 0, 0, big + 2],
    missing: big,
  }
  const t = Tally.fromJSON(json)
  assert.deepEqual(t.toJSON(), json)
  assert.deepEqual(Tally.fromBytes(t.toBytes()).toJSON(), json)
  assert.deepEqual([t.n, t.missing], [2 * big + 2, big])
})

test('corrupted bytes and JSON are CX_UNREADABLE_SUMMARY', () => {
  const bytes = whole([0, 7, 9, 10], [1, 1, 2, 0.5]).toBytes()
  for (let i = 0; i < bytes.length; i++) {
    const bad = Buffer.from(bytes)
    bad[i] ^= 1 << rng.int(0, 7)
    assert.throws(() => Tally.fromBytes(bad), { code: 'CX_UNREADABLE_SUMMARY' }, `byte ${i}`)
  }
  for (const bad of [bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, Buffer.from([0])]), Buffer.alloc(0)]) {
    assert.throws(() => Tally.fromBytes(bad), (e) => e.code === 'CX_UNREADABLE_SUMMARY' && typeof e.reason === 'string')
  }
  const json = whole([1, 2], [1, 1]).toJSON()
  for (const bad of [
    '{"format":',
    '{}',
    JSON.stringify({ ...json, version: 9 }),
    JSON.stringify({ ...json, format: 'other' }),
    JSON.stringify({ ...json, counts: json.counts.slice(1) }),
    JSON.stringify({ ...json, weights: json.weights.map((w) => -w - 1) }),
    JSON.stringify({ ...json, extra: 1 }),
  ]) {
    assert.throws(() => Tally.fromJSON(bad), { code: 'CX_UNREADABLE_SUMMARY' }, bad)
    if (bad.startsWith('{"format":') && bad.length < 12) continue
    assert.throws(() => Tally.fromJSON(JSON.parse(bad)), { code: 'CX_UNREADABLE_SUMMARY' }, bad)
  }
})

test('merging a tally into itself is an Error, not a crash', () => {
  const t = whole([9, 10], [1, 1])
  assert.throws(() => t.merge(t), Error)
  assert.equal(t.n, 2)
})
