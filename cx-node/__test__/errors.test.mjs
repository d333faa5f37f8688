// Every cx-core error code reaches JavaScript as an Error with `code` = "CX_" + CODE, the core's
// message, and the error's detail fields in camelCase. Wrong argument types throw, never crash.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'

/**
 * Assert that `fn` throws an Error with this `code` and exactly these other own fields (a RegExp
 * matches a text field), and return the error.
 */
function throwsExactly(fn, code, details, message) {
  let caught
  try {
    fn()
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof Error, `${code}: expected an Error, got ${caught}`)
  assert.equal(caught.code, code)
  const own = Object.fromEntries(Object.entries(caught).filter(([k]) => k !== 'code'))
  assert.deepEqual(Object.keys(own).sort(), Object.keys(details).sort(), code)
  for (const [key, want] of Object.entries(details)) {
    if (want instanceof RegExp) assert.match(own[key], want, `${code}.${key}`)
    else assert.deepEqual(own[key], want, `${code}.${key}`)
  }
  if (message !== undefined) assert.match(caught.message, message)
  return caught
}

test('CX_OUT_OF_SCALE names the index and the value', () => {
  throwsExactly(() => cx.nps([9, 3, 11, 7]), 'CX_OUT_OF_SCALE', { index: 2, value: 11, lowest: 0, highest: 10 }, /^value 11 at index 2 is outside the scale 0..=10$/)
  throwsExactly(() => cx.nps(Uint8Array.from([1, 200])), 'CX_OUT_OF_SCALE', { index: 1, value: 200, lowest: 0, highest: 10 })
  throwsExactly(() => cx.nps(Int32Array.from([1, 2, -1])), 'CX_OUT_OF_SCALE', { index: 2, value: -1, lowest: 0, highest: 10 })
  throwsExactly(() => cx.csat([Infinity]), 'CX_OUT_OF_SCALE', { index: 0, value: Infinity, lowest: 1, highest: 5 })
})

test('CX_NON_INTEGER names the index and the value', () => {
  throwsExactly(() => cx.nps([1, 3.5]), 'CX_NON_INTEGER', { index: 1, value: 3.5, lowest: 0, highest: 10 }, /not an integer point/)
  throwsExactly(() => cx.csat(Float32Array.from([4, 5, 4.25])), 'CX_NON_INTEGER', { index: 2, value: 4.25, lowest: 1, highest: 5 })
})

test('CX_INVALID_WEIGHT names the index and the weight (NaN and null included)', () => {
  throwsExactly(() => cx.nps([9, 10, 3], { weights: [1, -1, 2] }), 'CX_INVALID_WEIGHT', { index: 1, value: -1 })
  throwsExactly(() => cx.nps([9, 10], { weights: Float64Array.from([1, NaN]) }), 'CX_INVALID_WEIGHT', { index: 1, value: NaN })
  throwsExactly(() => cx.nps([9, 10], { weights: [null, 1] }), 'CX_INVALID_WEIGHT', { index: 0, value: NaN })
  throwsExactly(() => cx.nps([9, 10], { weights: [1, 1e101] }), 'CX_INVALID_WEIGHT', { index: 1, value: 1e101 })
  // The weight of a missing answer is ignored.
  assert.equal(cx.nps([null, 10], { weights: [null, 1] }).n, 1)
})

test('CX_LENGTH_MISMATCH names both inputs and their lengths', () => {
  throwsExactly(() => cx.csat([4, 5, 1], { weights: [1, 2] }), 'CX_LENGTH_MISMATCH', { leftName: 'values', left: 3, rightName: 'weights', right: 2 })
})

test('CX_EMPTY_INPUT for no answer, only missing answers or zero total weight', () => {
  for (const call of [
    () => cx.nps([]),
    () => cx.nps([null, NaN, undefined]),
    () => cx.distribution([], { scale: 'csat' }),
    () => cx.mean([3, 5], { scale: 'ces', weights: [0, 0] }),
    () => cx.nps(new cx.Tally()),
  ]) {
    throwsExactly(call, 'CX_EMPTY_INPUT', { what: /no non-missing answers|weight zero/ }, /^empty input: /)
  }
})

test('CX_INSUFFICIENT_DATA: a mean needs two answers', () => {
  throwsExactly(() => cx.mean([4, null], { scale: 'ces' }), 'CX_INSUFFICIENT_DATA', { what: 'a mean with a standard error', needed: 2, got: 1 })
})

test('CX_ZERO_VARIANCE: NPS difference of two samples without variance', () => {
  throwsExactly(() => cx.npsDifference([9, 10, 10], [10, 9]), 'CX_ZERO_VARIANCE', { what: /no standard error/ })
})

test('CX_INVALID_LEVEL carries the level', () => {
  throwsExactly(() => cx.nps([9, 3], { level: 1.5 }), 'CX_INVALID_LEVEL', { value: 1.5 })
  throwsExactly(() => cx.topBox([5, 3], { scale: 'csat', level: 0 }), 'CX_INVALID_LEVEL', { value: 0 })
  throwsExactly(() => cx.ces([5, 3], { level: NaN }), 'CX_INVALID_LEVEL', { value: NaN })
  throwsExactly(() => cx.npsDifference([9, 3], [1, 10], { level: -1 }), 'CX_INVALID_LEVEL', { value: -1 })
})

test('CX_INVALID_SCALE carries the reason', () => {
  for (const scale of [
    { lowest: 5, highest: 1 },
    { lowest: 0, highest: 101 },
    { lowest: 1, highest: 5, topBoxMin: 2, bottomBoxMax: 3 },
    { lowest: 1, highest: 5, topBoxMin: 9 },
  ]) {
    throwsExactly(() => new cx.Tally(scale), 'CX_INVALID_SCALE', { reason: /lowest|points|boxes/ }, /^invalid scale: /)
    assert.throws(() => cx.mean([1, 2], { scale }), { code: 'CX_INVALID_SCALE' })
  }
})

test('CX_SCALE_MISMATCH describes both scales', () => {
  const nps = '0..=10 (top box >= 9, bottom box <= 6)'
  const csat = '1..=5 (top box >= 4, bottom box <= 2)'
  const t = new cx.Tally()
  throwsExactly(() => t.merge(new cx.Tally('csat')), 'CX_SCALE_MISMATCH', { left: nps, right: csat })
  // left: the scale asked for, right: the tally's (as in the Python package)
  throwsExactly(() => cx.nps(t, { scale: 'csat' }), 'CX_SCALE_MISMATCH', { left: csat, right: nps })
  const c = new cx.Tally('csat')
  c.extend([1, 5])
  t.extend([1, 9])
  throwsExactly(() => cx.npsDifference(t, c), 'CX_SCALE_MISMATCH', { left: nps, right: csat })
})

test('CX_UNREADABLE_SUMMARY carries the reason', () => {
  const bytes = new cx.Tally().toBytes()
  bytes[40] ^= 0xff
  throwsExactly(() => cx.Tally.fromBytes(bytes), 'CX_UNREADABLE_SUMMARY', { reason: /checksum/ })
  throwsExactly(() => cx.Tally.fromJSON('not json'), 'CX_UNREADABLE_SUMMARY', { reason: /expected/ })
  throwsExactly(() => cx.Tally.fromJSON(() => 1), 'CX_UNREADABLE_SUMMARY', { reason: 'the value has no JSON form' })
})

test('CX_INVALID_ARGUMENT names the argument, the value and what is allowed', () => {
  throwsExactly(() => cx.nps([9, 3], { method: 'bogus' }), 'CX_INVALID_ARGUMENT', {
    name: 'method',
    value: '"bogus"',
    expected: 'one of "adjusted-wald", "wald", "score", "bootstrap"',
  })
  throwsExactly(() => cx.topBox([5], { scale: 'csat', method: 'exact' }), 'CX_INVALID_ARGUMENT', {
    name: 'method',
    value: '"exact"',
    expected: 'one of "wilson", "wald", "agresti-coull", "clopper-pearson", "jeffreys"',
  })
  throwsExactly(() => cx.nps([9, 3], { method: 'bootstrap', resamples: 10 }), 'CX_INVALID_ARGUMENT', { name: 'resamples', value: '10', expected: 'at least 100' })
  throwsExactly(() => cx.nps([9], { scale: 'stars' }), 'CX_INVALID_ARGUMENT', {
    name: 'scale',
    value: '"stars"',
    expected: 'one of "nps", "csat", "ces", "agreement"',
  })
  // Scale-less metrics need a scale for raw values.
  for (const call of [cx.topBox, cx.bottomBox, cx.mean, cx.distribution]) {
    throwsExactly(() => call([1, 2]), 'CX_INVALID_ARGUMENT', { name: 'scale', value: 'undefined', expected: /^a scale for raw values/ })
  }
  // A Tally holds its weights.
  throwsExactly(() => cx.nps(new cx.Tally(), { weights: [] }), 'CX_INVALID_ARGUMENT', { name: 'weights', value: 'given with a Tally', expected: 'no weights: a Tally already holds its weights' })
  // JavaScript numbers given for integers must be integers of the right range.
  throwsExactly(() => cx.nps([9], { method: 'bootstrap', seed: -1 }), 'CX_INVALID_ARGUMENT', { name: 'seed', value: '-1', expected: 'an integer from 0 to 2^53 - 1' })
  throwsExactly(() => cx.nps([9], { method: 'bootstrap', resamples: 2000.5 }), 'CX_INVALID_ARGUMENT', { name: 'resamples', value: '2000.5', expected: 'an integer from 0 to 4294967295' })
  throwsExactly(() => new cx.Tally({ lowest: 1.5, highest: 5 }), 'CX_INVALID_ARGUMENT', { name: 'lowest', value: '1.5', expected: 'a 32-bit integer' })
  throwsExactly(() => new cx.Tally({ lowest: 0, highest: 2 ** 40 }), 'CX_INVALID_ARGUMENT', { name: 'highest', value: String(2 ** 40), expected: 'a 32-bit integer' })
})

test('every cx-core error code is covered above', async () => {
  const source = await import('node:fs').then((fs) => fs.readFileSync(new URL(import.meta.url), 'utf8'))
  const codes = [
    'OUT_OF_SCALE', 'NON_INTEGER', 'INVALID_WEIGHT', 'LENGTH_MISMATCH', 'EMPTY_INPUT', 'INSUFFICIENT_DATA',
    'ZERO_VARIANCE', 'INVALID_LEVEL', 'INVALID_SCALE', 'SCALE_MISMATCH', 'UNREADABLE_SUMMARY', 'INVALID_ARGUMENT',
  ]
  for (const code of codes) assert.ok(source.includes(`test('CX_${code}`), code)
})

test('wrong argument types throw an Error (napi InvalidArg), never crash', () => {
  const t = new cx.Tally()
  for (const call of [
    () => cx.nps('9, 10'),
    () => cx.nps({ length: 2 }),
    () => cx.nps([9, '10']),
    () => cx.nps(new Uint16Array([9])),
    () => cx.nps([9], { level: 'high' }),
    () => cx.nps([9], { weights: 'heavy' }),
    () => cx.nps([9], { scale: 5 }),
    () => cx.nps([9], { method: 3 }),
    () => cx.nps(),
    () => cx.npsDifference([9]),
    () => new cx.Tally(5),
    () => t.push('9'),
    () => t.extend(t),
    () => t.merge({}),
    () => t.merge([9]),
    () => cx.Tally.fromBytes('CXTL'),
    () => cx.Tally.fromBytes([1, 2, 3]),
  ]) {
    assert.throws(call, (e) => e instanceof Error && typeof e.code === 'string' && !e.code.startsWith('CX_'), String(call))
  }
})
