// KeyedTally: per-group tallies keyed by labels. Pushing answers one at a time, building from
// arrays and merging random partitions all give the same summary (byte for byte); its segment
// tables equal npsBy / topBoxBy / bottomBoxBy / meanBy on the same answers; each group's tally
// equals a brute-force recount; every bad input is a coded error that leaves the summary as it
// was.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { prng, withVersion } from './helpers.mjs'

const REGIONS = ['North', 'South', 'East']
const TIERS = [1, 2, 3]

/** Answers with a region (some missing), a tier and a dyadic weight (sums stay exact). */
function survey(seed, n) {
  const rng = prng(seed)
  const scores = []
  const region = []
  const tier = []
  const weights = []
  for (let i = 0; i < n; i++) {
    scores.push(rng.next() < 0.05 ? null : rng.int(0, 10))
    region.push(rng.next() < 0.03 ? null : REGIONS[rng.int(0, 2)])
    tier.push(TIERS[rng.int(0, 2)])
    weights.push(rng.int(1, 8) / 4)
  }
  return { scores, region, tier, weights }
}

const same = (a, b, message) => assert.ok(a.toBytes().equals(b.toBytes()), message)

/** Brute-force recount of one group: counts per point and missing answers. */
function recount(scores, keyOf, key) {
  const counts = new Array(11).fill(0)
  let missing = 0
  scores.forEach((s, i) => {
    if (JSON.stringify(keyOf(i)) !== JSON.stringify(key)) return
    if (s === null) missing++
    else counts[s]++
  })
  return { counts, missing }
}

test('push one by one equals fromValues, with and without weights, one or two key columns', () => {
  const { scores, region, tier, weights } = survey(1, 3000)
  const one = new cx.KeyedTally('nps', ['region'])
  const two = new cx.KeyedTally('nps', ['region', 'tier'])
  const weighted = new cx.KeyedTally(null, ['region'])
  scores.forEach((s, i) => {
    one.push(s, region[i])
    two.push(s, [region[i], tier[i]])
    weighted.push(s, region[i], weights[i])
  })
  same(one, cx.KeyedTally.fromValues(scores, region, { names: ['region'] }), 'one column')
  same(two, cx.KeyedTally.fromValues(scores, [region, tier], { names: ['region', 'tier'] }), 'two columns')
  same(weighted, cx.KeyedTally.fromValues(scores, region, { names: ['region'], weights }), 'weighted')
  assert.deepEqual(one.keys(), [['East'], ['North'], ['South'], [null]])
  assert.equal(two.size, 12)
  assert.deepEqual(two.keys()[0], ['East', 1])
  assert.deepEqual(two.names, ['region', 'tier'])
  assert.deepEqual(one.scale, { lowest: 0, highest: 10, topBoxMin: 9, bottomBoxMax: 6 })
})

test('each group tally equals a brute-force recount; total() equals the tally of all answers', () => {
  const { scores, region, tier } = survey(2, 2000)
  const k = cx.KeyedTally.fromValues(scores, [region, tier], { names: ['region', 'tier'] })
  for (const key of k.keys()) {
    const t = k.tally(key)
    const want = recount(scores, (i) => [region[i], tier[i]], key)
    assert.deepEqual(t.counts, want.counts, `counts of ${key}`)
    assert.equal(t.missing, want.missing, `missing of ${key}`)
  }
  assert.equal(k.tally(['West', 1]), null)
  const all = new cx.Tally()
  all.extend(scores)
  assert.ok(k.total().toBytes().equals(all.toBytes()))
  assert.deepEqual(cx.nps(k.total()), cx.nps(scores))
})

test('default names, keys null (no key column) and the text lookup of tally()', () => {
  const scores = [10, 9, 3, 7, 8, 0, 10]
  assert.deepEqual(cx.KeyedTally.fromValues(scores, ['a', 'b', 'a', 'b', 'a', 'c', 'c']).names, ['group'])
  assert.deepEqual(cx.KeyedTally.fromValues(scores, [[1, 1, 1, 1, 1, 1, 1], scores]).names, ['group_1', 'group_2'])
  assert.deepEqual(new cx.KeyedTally().names, ['group'])

  const whole = cx.KeyedTally.fromValues(scores, null)
  assert.deepEqual(whole.names, [])
  assert.deepEqual(whole.keys(), [[]])
  const pushed = new cx.KeyedTally('nps', [])
  for (const s of scores) pushed.push(s)
  same(pushed, whole, 'no key column')
  assert.deepEqual(pushed.segments(), cx.npsBy(scores, null))
  assert.deepEqual(pushed.tally(null).counts, whole.total().counts)

  // A column mixing numbers and strings is a column of strings (as in npsBy): 2 finds "2".
  const mixed = cx.KeyedTally.fromValues(scores, ['a', 2, 'a', 2, '2', null, NaN])
  assert.deepEqual(mixed.keys(), [['2'], ['a'], [null]])
  assert.equal(mixed.tally(2).n, 3)
  assert.equal(mixed.tally('2').n, 3)
  assert.equal(mixed.tally(NaN).n, 2)
  // push refuses a number into a column of strings and a string into a column of numbers
  // (rather than a second group printed "2"); the missing key fits any column.
  const typed = new cx.KeyedTally('nps', ['store', 'region'])
  typed.push(9, [2, 'North'])
  typed.push(9, [null, null])
  typed.push(9, [3, 'South'])
  const before = typed.toBytes()
  assert.throws(() => typed.push(9, ['2', 'North']), (e) => {
    assert.equal(e.code, 'CX_INVALID_ARGUMENT')
    assert.equal(e.argument, 'key')
    assert.equal(e.value, '2 (a string) in column "store"')
    assert.match(e.expected, /^numbers, as the column's other keys/)
    return true
  })
  assert.throws(() => typed.push(9, [4, 5]), { code: 'CX_INVALID_ARGUMENT', value: '5 (a number) in column "region"' })
  assert.ok(typed.toBytes().equals(before))
  typed.push(7, [2, 'North']) // an existing group
  assert.deepEqual(typed.keys(), [[2, 'North'], [3, 'South'], [null, null]])
  assert.equal(typed.tally([2, 'North']).n, 2)
})

test('segments() equals npsBy, topBoxBy, bottomBoxBy and meanBy on the same answers', () => {
  const { scores, region, tier, weights } = survey(3, 4000)
  const keys = [region, tier]
  const k = cx.KeyedTally.fromValues(scores, keys, { names: ['region', 'tier'], weights })
  const scale = 'nps'
  assert.deepEqual(k.segments(), cx.npsBy(scores, keys, { weights }))
  assert.deepEqual(
    k.segments('nps', { method: 'score', level: 0.9, adjust: 'bh', minBase: 100, reference: ['North', 2] }),
    cx.npsBy(scores, keys, { weights, method: 'score', level: 0.9, adjust: 'bh', minBase: 100, reference: ['North', 2] }),
  )
  assert.deepEqual(
    k.segments('nps', { method: 'bootstrap', resamples: 200, seed: 7 }),
    cx.npsBy(scores, keys, { weights, method: 'bootstrap', resamples: 200, seed: 7 }),
  )
  assert.deepEqual(
    k.segments('topBox', { method: 'jeffreys', alpha: 0.1 }),
    cx.topBoxBy(scores, keys, { weights, scale, method: 'jeffreys', alpha: 0.1 }),
  )
  assert.deepEqual(k.segments('bottomBox'), cx.bottomBoxBy(scores, keys, { weights, scale }))
  assert.deepEqual(
    k.segments('mean', { reference: [null, 3], adjust: 'none' }),
    cx.meanBy(scores, keys, { weights, scale, reference: [null, 3], adjust: 'none' }),
  )
  assert.deepEqual(k.segments('mean', { method: 'student-t' }), cx.meanBy(scores, keys, { weights, scale }))
  const csat = cx.KeyedTally.fromValues([5, 4, 1, 2, 5], ['x', 'y', 'x', 'y', 'x'], { scale: 'csat' })
  assert.deepEqual(csat.segments('topBox', { minBase: 1 }), cx.csatBy([5, 4, 1, 2, 5], ['x', 'y', 'x', 'y', 'x'], { minBase: 1 }))
  assert.deepEqual(new cx.KeyedTally().segments(), [])
})

test('merging random partitions by label equals the whole, through bytes and JSON', () => {
  const { scores, region, tier, weights } = survey(4, 3000)
  const names = ['region', 'tier']
  const whole = cx.KeyedTally.fromValues(scores, [region, tier], { names, weights })
  const rng = prng(44)
  for (let round = 0; round < 20; round++) {
    const parts = 1 + rng.int(1, 5)
    const slices = Array.from({ length: parts }, () => ({ s: [], r: [], t: [], w: [] }))
    scores.forEach((s, i) => {
      const p = slices[rng.int(0, parts - 1)]
      p.s.push(s)
      p.r.push(region[i])
      p.t.push(tier[i])
      p.w.push(weights[i])
    })
    const merged = new cx.KeyedTally('nps', names)
    for (const [j, p] of slices.entries()) {
      const part = cx.KeyedTally.fromValues(p.s, [p.r, p.t], { names, weights: p.w })
      // Alternate the wire form: bytes, JSON text, parsed JSON.
      const wire = [
        () => cx.KeyedTally.fromBytes(part.toBytes()),
        () => cx.KeyedTally.fromJSON(JSON.stringify(part)),
        () => cx.KeyedTally.fromJSON(part.toJSON()),
      ][j % 3]()
      merged.merge(wire)
    }
    same(merged, whole, `round ${round}: ${parts} parts`)
  }
})

test('bytes and JSON round trips are exact; the JSON has the documented layout', () => {
  const { scores, region, tier, weights } = survey(5, 500)
  const k = cx.KeyedTally.fromValues(scores, [region, tier], { names: ['region', 'tier'], weights, scale: 'nps' })
  same(cx.KeyedTally.fromBytes(k.toBytes()), k, 'bytes')
  same(cx.KeyedTally.fromBytes(new Uint8Array(k.toBytes())), k, 'Uint8Array')
  same(cx.KeyedTally.fromJSON(JSON.stringify(k)), k, 'JSON')
  const json = k.toJSON()
  assert.equal(json.format, 'cxkit.keyed_tally')
  assert.equal(json.version, 1)
  assert.deepEqual(json.names, ['region', 'tier'])
  assert.deepEqual(json.scale, { lowest: 0, highest: 10, top_box_min: 9, bottom_box_max: 6 })
  assert.deepEqual(json.groups.map(([key]) => key), k.keys())
  assert.deepEqual(json.groups[0][1], k.tally(k.keys()[0]).toJSON())
  const bytes = k.toBytes()
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'CXKT')
  assert.equal(bytes.readUInt16LE(4), 1)
  assert.match(k.toString(), /^KeyedTally\(names=\["region", "tier"\], groups=12, n=\d+\)$/)
})

test('merge: different key columns or scales are coded errors; the summary is unchanged', () => {
  const a = cx.KeyedTally.fromValues([9, 3], ['x', 'y'], { names: ['region'] })
  const before = a.toBytes()
  assert.throws(() => a.merge(cx.KeyedTally.fromValues([9], ['x'], { names: ['channel'] })), (e) => {
    assert.equal(e.code, 'CX_INVALID_ARGUMENT')
    assert.equal(e.argument, 'other')
    assert.match(e.message, /keyed by \["channel"\].*same columns \["region"\]/)
    return true
  })
  assert.throws(() => a.merge(new cx.KeyedTally('nps', ['region', 'tier'])), { code: 'CX_INVALID_ARGUMENT' })
  assert.throws(() => a.merge(new cx.KeyedTally('csat', ['region'])), (e) => {
    assert.equal(e.code, 'CX_SCALE_MISMATCH')
    assert.match(e.message, /0..=10.*vs 1..=5/)
    return true
  })
  assert.throws(() => a.merge(new cx.KeyedTally({ lowest: 0, highest: 10, topBoxMin: 8 }, ['region'])), { code: 'CX_SCALE_MISMATCH' })
  assert.throws(() => a.merge(a), { code: 'InvalidArg' })
  assert.throws(() => a.merge(new cx.Tally()), { code: 'InvalidArg' })
  assert.ok(a.toBytes().equals(before))
})

test('push: bad values, weights and keys are coded errors; the summary is unchanged', () => {
  const k = new cx.KeyedTally('nps', ['region', 'tier'])
  k.push(9, ['North', 1])
  const before = k.toBytes()
  const bad = [
    [() => k.push(11, ['North', 1]), 'CX_OUT_OF_SCALE', { index: 0, value: 11 }],
    [() => k.push(7.5, ['North', 1]), 'CX_NON_INTEGER', { index: 0, value: 7.5 }],
    [() => k.push(9, ['North', 1], -1), 'CX_INVALID_WEIGHT', { index: 0, value: -1 }],
    [() => k.push(9, ['North', 1], NaN), 'CX_INVALID_WEIGHT', { index: 0 }],
    [() => k.push(9, ['North', 1.5]), 'CX_INVALID_ARGUMENT', { argument: 'key' }],
    [() => k.push(9, ['North', 2 ** 60]), 'CX_INVALID_ARGUMENT', { argument: 'key' }],
    [() => k.push(9, 'North'), 'CX_INVALID_ARGUMENT', { argument: 'key', value: '1 key(s)' }],
    [() => k.push(9, ['North', 1, 'x']), 'CX_INVALID_ARGUMENT', { argument: 'key', value: '3 key(s)' }],
    [() => k.push(9, null), 'CX_INVALID_ARGUMENT', { argument: 'key' }],
    [() => k.push('9', ['North', 1]), 'NumberExpected', {}], // napi's type check, as Tally.push
    [() => k.push(9, { region: 'North' }), 'CX_WRONG_TYPE', { argument: 'key', value: '{region: "North"}' }],
    [() => k.push(9, ['North', true]), 'CX_WRONG_TYPE', { argument: 'key', value: 'true (a boolean)' }],
    [() => k.push(9, [['North'], 1]), 'CX_WRONG_TYPE', { argument: 'key', value: '["North"]' }],
    [() => k.push(9, ['North', 1n]), 'CX_WRONG_TYPE', { argument: 'key', value: 'a BigInt (numbers are JavaScript numbers)' }],
  ]
  for (const [fn, code, details] of bad) {
    assert.throws(fn, (e) => {
      assert.equal(e.code, code, e.message)
      for (const [key, want] of Object.entries(details)) assert.deepEqual(e[key], want, `${code}.${key}`)
      return true
    })
    assert.ok(k.toBytes().equals(before), `unchanged after ${code}`)
  }
  assert.throws(() => k.tally(['North']), { code: 'CX_INVALID_ARGUMENT' })
  // A missing answer and a missing key are fine.
  k.push(null, [null, 1])
  k.push(NaN, ['North', NaN], 2)
  assert.deepEqual(k.keys(), [['North', 1], ['North', null], [null, 1]])
  assert.equal(k.tally(['North', null]).missing, 1)
})

test('fromValues and segments: bad options are coded errors', () => {
  const scores = [9, 3, 10, 7]
  const keys = ['x', 'y', 'x', 'y']
  assert.throws(() => cx.KeyedTally.fromValues(scores, keys, { names: ['a', 'b'] }), (e) => {
    assert.equal(e.code, 'CX_LENGTH_MISMATCH')
    assert.deepEqual([e.leftName, e.left, e.rightName, e.right], ['key columns', 1, 'names', 2])
    return true
  })
  assert.throws(() => cx.KeyedTally.fromValues(scores, ['x']), { code: 'CX_LENGTH_MISMATCH' })
  assert.throws(() => cx.KeyedTally.fromValues([9, 12], ['x', 'y']), { code: 'CX_OUT_OF_SCALE', index: 1 })
  assert.throws(() => cx.KeyedTally.fromValues(scores, keys, { weights: [1, 1, 1] }), { code: 'CX_LENGTH_MISMATCH' })
  assert.throws(() => cx.KeyedTally.fromValues(scores, keys, { scale: 'stars' }), { code: 'CX_INVALID_ARGUMENT' })
  assert.throws(() => new cx.KeyedTally({ lowest: 5, highest: 1 }), { code: 'CX_INVALID_SCALE' })

  const k = cx.KeyedTally.fromValues(scores, keys)
  const invalid = (fn, name) => assert.throws(fn, (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === name)
  invalid(() => k.segments('csat'), 'metric')
  invalid(() => k.segments('nps', { method: 'wilson' }), 'method')
  invalid(() => k.segments('topBox', { method: 'score' }), 'method')
  invalid(() => k.segments('mean', { method: 'wald' }), 'method')
  invalid(() => k.segments('topBox', { resamples: 500 }), 'resamples')
  invalid(() => k.segments('mean', { seed: 1 }), 'seed')
  invalid(() => k.segments('nps', { adjust: 'bonferroni' }), 'adjust')
  invalid(() => k.segments('nps', { minBase: -1 }), 'minBase')
  invalid(() => k.segments('nps', { reference: ['x', 'y'] }), 'reference')
  assert.throws(() => k.segments('nps', { level: 1.5 }), { code: 'CX_INVALID_LEVEL' })
  assert.throws(() => k.segments('nps', { reference: 'z' }), { code: 'CX_UNKNOWN_GROUP', group: 'z' })
})

test('unreadable bytes: every truncation, every bit flip, a newer version, another summary', () => {
  const k = cx.KeyedTally.fromValues([9, 3, null, 7], [['x', 'y', 'x', null], [1, 2, 2, 1]], { names: ['a', 'b'] })
  const bytes = k.toBytes()
  const unreadable = (b, message) =>
    assert.throws(() => cx.KeyedTally.fromBytes(b), (e) => e.code === 'CX_UNREADABLE_SUMMARY' && message.test(e.message))
  for (let len = 0; len < bytes.length; len++) unreadable(bytes.subarray(0, len), /./)
  for (let i = 0; i < bytes.length; i++) {
    for (const bit of [0x01, 0x80]) {
      const b = Buffer.from(bytes)
      b[i] ^= bit
      unreadable(b, /./)
    }
  }
  unreadable(withVersion(bytes, 2), /keyed tally format version 2 is not supported; this build reads version 1/)
  unreadable(withVersion(bytes, 65535), /version 65535/)
  unreadable(new cx.Tally().toBytes(), /not a cxkit keyed tally/)
  assert.throws(() => cx.Tally.fromBytes(bytes), { code: 'CX_UNREADABLE_SUMMARY' })
  assert.throws(() => cx.KeyedTally.fromBytes('CXKT'), { code: 'InvalidArg' })
})

test('unreadable JSON: another version, format or layout', () => {
  const json = cx.KeyedTally.fromValues([9, 3], ['x', 'y']).toJSON()
  const unreadable = (value, message) =>
    assert.throws(() => cx.KeyedTally.fromJSON(value), (e) => e.code === 'CX_UNREADABLE_SUMMARY' && message.test(e.message))
  unreadable({ ...json, version: 2 }, /version 2/)
  unreadable({ ...json, format: 'cxkit.tally' }, /"cxkit.tally"/)
  unreadable({ ...json, extra: 1 }, /unknown field/)
  unreadable({ ...json, names: ['a', 'b'] }, /key columns/)
  unreadable({ ...json, groups: [[['x'], { ...json.groups[0][1], counts: [1] }]] }, /./)
  unreadable('{"format": "cxkit.keyed_tally"', /EOF/)
  unreadable(undefined, /no JSON form/)
  const csat = cx.Tally.fromJSON({ ...new cx.Tally('csat').toJSON() })
  unreadable({ ...json, groups: [[['x'], csat.toJSON()]] }, /scale/)
})
