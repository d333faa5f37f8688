// Every accepted input type gives the same result: number[] (null / undefined / NaN missing),
// Float64Array and Float32Array (NaN missing), Uint8Array and Int32Array (no missing values),
// and a Tally.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { prng } from './helpers.mjs'

const rng = prng(314)
const answers = Array.from({ length: 500 }, () => rng.int(1, 5))
const withGaps = answers.flatMap((v, i) => (i % 7 === 0 ? [v, null] : [v]))
const withUndefined = withGaps.map((v, i) => (v === null && i % 2 ? undefined : v))
const missingCount = withGaps.length - answers.length

const calls = {
  nps: (v) => cx.nps(v, { scale: 'csat' }),
  npsScore: (v) => cx.nps(v, { scale: 'csat', method: 'score' }),
  npsBootstrap: (v) => cx.nps(v, { scale: 'csat', method: 'bootstrap', seed: 5 }),
  npsDifference: (v) => cx.npsDifference(v, [1, 5, 5, 4, 2], { scale: 'csat' }),
  topBox: (v) => cx.topBox(v, { scale: 'csat', method: 'jeffreys' }),
  bottomBox: (v) => cx.bottomBox(v, { scale: 'csat' }),
  csat: (v) => cx.csat(v),
  mean: (v) => cx.mean(v, { scale: 'csat' }),
  ces: (v) => cx.ces(v),
  distribution: (v) => cx.distribution(v, { scale: 'csat' }),
}

/** The same result with `missing` set to the count of missing answers, where there is one. */
const withMissing = (r, missing) => ('missing' in r ? { ...r, missing } : r)

test('number[], typed arrays and a Tally give identical results', () => {
  const gapsNaN = withGaps.map((v) => (v === null ? NaN : v))
  const complete = {
    'number[]': answers,
    Uint8Array: Uint8Array.from(answers),
    Int32Array: Int32Array.from(answers),
    Float64Array: Float64Array.from(answers),
  }
  const gapped = {
    'number[] with null and undefined': withUndefined,
    'number[] with NaN': gapsNaN,
    'Float64Array with NaN': Float64Array.from(gapsNaN),
    'Float32Array with NaN': Float32Array.from(gapsNaN),
  }
  for (const [name, call] of Object.entries(calls)) {
    const reference = call(answers)
    for (const [kind, values] of Object.entries(complete)) {
      assert.deepEqual(call(values), reference, `${name} on ${kind}`)
    }
    for (const [kind, values] of Object.entries(gapped)) {
      assert.deepEqual(call(values), withMissing(reference, missingCount), `${name} on ${kind}`)
    }
    const tally = new cx.Tally('csat')
    tally.extend(Float32Array.from(gapsNaN))
    if (name !== 'ces') {
      assert.deepEqual(call(tally), withMissing(reference, missingCount), `${name} on a Tally`)
    }
  }
})

test('a Tally carries its scale: no scale needed, a different one is CX_SCALE_MISMATCH', () => {
  const tally = new cx.Tally({ lowest: 1, highest: 7, topBoxMin: 5, bottomBoxMax: 3 })
  tally.extend(Int32Array.from([7, 6, 5, 5, 3]))
  assert.deepEqual(cx.mean(tally), cx.mean([7, 6, 5, 5, 3], { scale: 'ces' }))
  assert.deepEqual(cx.ces(tally), cx.mean(tally, { scale: 'ces' }))
  assert.throws(() => cx.ces(tally, { scale: 'csat' }), { code: 'CX_SCALE_MISMATCH' })
  assert.throws(() => cx.mean(tally, { weights: [1, 1, 1, 1, 1] }), {
    code: 'CX_INVALID_ARGUMENT',
    argument: 'weights',
  })
  // npsDifference: raw values are read on `scale` ("nps" by default), a Tally keeps its own.
  const csatTally = new cx.Tally('csat')
  csatTally.extend([5, 4, 1, 2, 3])
  assert.deepEqual(
    cx.npsDifference(csatTally, [5, 5, 1], { scale: 'csat' }),
    cx.npsDifference([5, 4, 1, 2, 3], [5, 5, 1], { scale: 'csat' }),
  )
  assert.throws(() => cx.npsDifference(csatTally, [5, 5, 1]), { code: 'CX_SCALE_MISMATCH' })
})

test('typed-array views with an offset are read from their own start', () => {
  const buffer = new Float64Array([99, 99, 9, 10, 3, 99]).buffer
  const view = new Float64Array(buffer, 16, 3)
  assert.deepEqual(cx.nps(view), cx.nps([9, 10, 3]))
  const bytes = new Uint8Array([200, 9, 10, 3]).subarray(1)
  assert.deepEqual(cx.nps(bytes), cx.nps([9, 10, 3]))
})

test('weights as number[] or Float64Array, and a custom scale, give identical results', () => {
  const values = [1, 2, 3, 4, 5, 4, 3]
  const weights = [0.5, 1, 2, 1.5, 1, 0.25, 3]
  const scale = { lowest: 1, highest: 5, topBoxMin: 4 }
  const a = cx.topBox(values, { scale, weights })
  const b = cx.topBox(Int32Array.from(values), { scale: 'csat', weights: Float64Array.from(weights) })
  assert.deepEqual(a, b)
})
