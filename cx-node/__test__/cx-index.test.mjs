// The CX index against brute force written here: per-dimension net and mean scores, the
// weighted average over dimensions, and the delta-method standard error as the root of the
// summed squared per-respondent influence values; cxIndexBy equals filter-then-compute with
// Holm written out; CxSummary streams, merges and round-trips JSON; every error path.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { Z95, prng, close } from './helpers.mjs'
import { normalP, holm } from './stats.mjs'

const DIMS = ['effectiveness', 'ease', 'emotion']

/** Respondents with correlated 1-5 answers (a shared propensity), some missing, weights. */
function survey(seed, n) {
  const rng = prng(seed)
  const cols = Object.fromEntries(DIMS.map((d) => [d, []]))
  const region = []
  const weights = []
  for (let i = 0; i < n; i++) {
    const r = ['North', 'South', 'East'][rng.int(0, 2)]
    const shift = { North: 1, South: -1, East: 0 }[r]
    const base = rng.int(1, 5) + shift
    for (const d of DIMS) {
      cols[d].push(rng.next() < 0.05 ? null : Math.max(1, Math.min(5, base + rng.int(-1, 1))))
    }
    region.push(r)
    weights.push(rng.int(1, 8) / 4)
  }
  return { cols, region, weights }
}

/** The index by brute force over raw rows: [estimate, se, per dimension [estimate, se]]. */
function brute(cols, { method = 'net', weights = null, dimWeights = null, requireAll = false } = {}) {
  const names = Object.keys(cols)
  const n = cols[names[0]].length
  const w = weights ?? Array(n).fill(1)
  const answered = (i, d) => cols[d][i] !== null && !Number.isNaN(cols[d][i])
  const counted = Array.from({ length: n }, (_, i) =>
    requireAll ? names.every((d) => answered(i, d)) : names.some((d) => answered(i, d)),
  )
  const y = (x) => (method === 'net' ? (x >= 4 ? 100 : x <= 2 ? -100 : 0) : ((x - 1) / 4) * 100)
  const dw = dimWeights ?? names.map(() => 1)
  const total = dw.reduce((a, b) => a + b, 0)
  const z = Array(n).fill(0)
  const perDim = []
  let estimate = 0
  names.forEach((d, k) => {
    let W = 0
    let S = 0
    let nk = 0
    for (let i = 0; i < n; i++) {
      if (counted[i] && answered(i, d)) {
        W += w[i]
        S += w[i] * y(cols[d][i])
        nk++
      }
    }
    const ybar = S / W
    let ss = 0
    for (let i = 0; i < n; i++) {
      if (counted[i] && answered(i, d)) {
        const infl = (w[i] * (y(cols[d][i]) - ybar)) / W
        ss += infl * infl
        z[i] += (dw[k] / total) * infl
      }
    }
    const c = method === 'mean' ? nk / (nk - 1) : 1
    perDim.push([ybar, Math.sqrt(c * ss)])
    estimate += (dw[k] / total) * ybar
  })
  const m = counted.filter(Boolean).length
  const c = method === 'mean' ? m / (m - 1) : 1
  return [estimate, Math.sqrt(c * z.reduce((a, b) => a + b * b, 0)), perDim]
}

test('cxIndex equals brute force (methods, weights, dimension weights, requireAll)', () => {
  const { cols, weights } = survey(3, 1500)
  for (const method of ['net', 'mean']) {
    for (const requireAll of [false, true]) {
      for (const dimWeights of [null, [1, 2, 3]]) {
        const r = cx.cxIndex(cols, { method, weights, requireAll, ...(dimWeights ? { dimWeights } : {}) })
        const [est, se, perDim] = brute(cols, { method, weights, dimWeights, requireAll })
        const what = `${method} ${requireAll} ${dimWeights}`
        close(r.estimate, est, `${what}: estimate`)
        close(r.stdError, se, `${what}: SE`, 1e-10)
        close(r.interval.lower, Math.max(method === 'net' ? -100 : 0, est - Z95 * se), `${what}: lower`, 1e-10)
        assert.equal(r.interval.method, 'wald')
        r.dimensions.forEach((d, k) => {
          close(d.estimate, perDim[k][0], `${what}: ${d.name}`)
          close(d.stdError, perDim[k][1], `${what}: ${d.name} SE`, 1e-10)
        })
        assert.equal(r.weakest, [...r.dimensions].sort((a, b) => a.estimate - b.estimate)[0].name)
        assert.equal(r.requireAll, requireAll)
      }
    }
  }
})

test('the hand-worked example of the docs (also checked in Rust and Python)', () => {
  const r = cx.cxIndex({
    effectiveness: [5, 4, 2, 5, 3, 4],
    ease: [4, 2, 1, 5, null, 4],
    emotion: [5, 3, 2, 4, 1, NaN],
  })
  close(r.estimate, 70 / 3, 'estimate')
  const third = 1 / 3
  const z = [
    0.5 / 6 + 0.8 / 5 + 1 / 5,
    0.5 / 6 - 1.2 / 5,
    -1.5 / 6 - 1.2 / 5 - 1 / 5,
    0.5 / 6 + 0.8 / 5 + 1 / 5,
    -0.5 / 6 - 1 / 5,
    0.5 / 6 + 0.8 / 5,
  ].map((x) => third * x)
  close(r.stdError, 100 * Math.sqrt(z.reduce((a, b) => a + b * b, 0)), 'SE')
  assert.deepEqual([r.band, r.weakest, r.n], ['very poor', 'emotion', 6])
  assert.deepEqual(r.dimensions.map((d) => d.estimate), [50, 20, 0])
  assert.deepEqual(r.dimensions.map((d) => d.n), [6, 5, 5])
  const m = cx.cxIndex({ effectiveness: [5, 4, 2, 5, 3, 4], ease: [4, 2, 1, 5, null, 4], emotion: [5, 3, 2, 4, 1, null] }, { method: 'mean' })
  close(m.estimate, ((23 / 6 - 1) * 25 + 55 + 50) / 3, 'mean estimate')
  close(m.stdError, 14.151407904481179, 'mean SE', 1e-9)
})

test('typed arrays are read in place, mixed kinds as doubles, with the same result', () => {
  const { cols } = survey(9, 400)
  const full = Object.fromEntries(DIMS.map((d) => [d, cols[d].map((x) => x ?? 3)]))
  const want = cx.cxIndex(full)
  for (const make of [(a) => Uint8Array.from(a), (a) => Int32Array.from(a), (a) => Float32Array.from(a), (a) => Float64Array.from(a)]) {
    assert.deepEqual(cx.cxIndex(Object.fromEntries(DIMS.map((d) => [d, make(full[d])]))), want)
  }
  const mixed = { effectiveness: Uint8Array.from(full.effectiveness), ease: full.ease, emotion: Float64Array.from(full.emotion) }
  assert.deepEqual(cx.cxIndex(mixed), want)
  // dimension weights by name, scales per dimension, bands
  const byName = cx.cxIndex(full, { dimWeights: { emotion: 3, ease: 2, effectiveness: 1 } })
  assert.deepEqual(byName, cx.cxIndex(full, { dimWeights: [1, 2, 3] }))
  const r = cx.cxIndex({ a: [1, 7, 6, 2], b: [5, 4, 1, 3] }, { scales: { a: { lowest: 1, highest: 7 } }, bands: [0, 10, 20, 30] })
  assert.deepEqual(r.dimensions.map((d) => [d.estimate, d.band]), [[0, 'poor'], [25, 'good']])
  assert.equal(r.band, 'okay')
  assert.equal(cx.cxIndex({ a: [7, 1] }, { scales: 'ces' }).dimensions[0].topShare, 0.5)
})

test('cxIndexBy: each group equals filter-then-compute, tested against the rest (Holm)', () => {
  const { cols, region, weights } = survey(21, 3000)
  const rows = cx.cxIndexBy(cols, region, { weights, reference: 'North' })
  assert.deepEqual(rows.map((r) => r.group), ['East', 'North', 'South'])
  const pick = (keep) => {
    const idx = region.map((r, i) => (keep(r) ? i : -1)).filter((i) => i >= 0)
    return [Object.fromEntries(DIMS.map((d) => [d, idx.map((i) => cols[d][i])])), idx.map((i) => weights[i])]
  }
  const north = cx.cxIndex(...(([c, w]) => [c, { weights: w }])(pick((r) => r === 'North')))
  const p = []
  for (const row of rows) {
    const [oc, ow] = pick((r) => r === row.group)
    const [rc, rw] = pick((r) => r !== row.group)
    const own = cx.cxIndex(oc, { weights: ow })
    const rest = cx.cxIndex(rc, { weights: rw })
    close(row.estimate, own.estimate, `${row.group}: estimate`)
    close(row.stdError, own.stdError, `${row.group}: SE`, 1e-10)
    assert.equal(row.band, own.band)
    assert.equal(row.weakest, own.weakest)
    assert.deepEqual(Object.keys(row.scores), DIMS)
    own.dimensions.forEach((d) => close(row.scores[d.name], d.estimate, d.name))
    const se = Math.hypot(own.stdError, rest.stdError)
    close(row.diffVsRest, own.estimate - rest.estimate, `${row.group}: diff`, 1e-10)
    close(row.seVsRest, se, `${row.group}: se diff`, 1e-10)
    close(row.pVsRest, normalP((own.estimate - rest.estimate) / se), `${row.group}: p`, 1e-9)
    p.push(row.pVsRest)
    if (row.group === 'North') assert.equal(row.diffVsReference, null)
    else close(row.diffVsReference, own.estimate - north.estimate, 'vs reference', 1e-10)
  }
  holm(p).forEach((q, i) => close(rows[i].pAdjVsRest, q, 'holm'))
  assert.ok(rows[0].significant !== null)
})

test('cxIndexBy with dates: a trend with changes and rolling windows', () => {
  const { cols } = survey(5, 600)
  const dates = cols.ease.map((_, i) => `2026-0${1 + (i % 3)}-15`)
  const t = cx.cxIndexBy(cols, null, { dates, window: 2, method: 'mean', minBase: 10 })
  assert.deepEqual(t.map((r) => r.period), ['2026-01', '2026-02', '2026-03'])
  assert.equal(t.excluded, 0)
  const month = (m) => Object.fromEntries(DIMS.map((d) => [d, cols[d].filter((_, i) => i % 3 === m)]))
  t.forEach((row, m) => close(row.estimate, cx.cxIndex(month(m), { method: 'mean' }).estimate, `month ${m}`))
  close(t[1].change, t[1].estimate - t[0].estimate, 'change')
  const both = Object.fromEntries(DIMS.map((d) => [d, cols[d].filter((_, i) => i % 3 !== 2)]))
  close(t[1].rollingEstimate, cx.cxIndex(both, { method: 'mean' }).estimate, 'rolling')
  assert.equal(t[0].rollingEstimate, null)
  const small = cx.cxIndexBy({ a: [1, null] }, ['x', 'y'], { minBase: 1 })
  assert.deepEqual([small[1].estimate, small[1].band, small[1].scores.a], [null, null, null])
})

test('CxSummary streams, merges and round-trips JSON', () => {
  const { cols, weights } = survey(17, 300)
  const whole = cx.cxIndex(cols, { weights })
  const s = new cx.CxSummary()
  const half = 150
  s.extend(Object.fromEntries(DIMS.map((d) => [d, cols[d].slice(0, half)])), weights.slice(0, half))
  const other = new cx.CxSummary(DIMS)
  for (let i = half; i < 300; i++) other.push(DIMS.map((d) => cols[d][i]), weights[i])
  s.merge(other)
  const r = cx.cxIndex(s)
  close(r.estimate, whole.estimate, 'estimate')
  close(r.stdError, whole.stdError, 'SE', 1e-10)
  assert.equal(s.n, whole.n)
  const again = cx.CxSummary.fromJSON(JSON.stringify(s))
  assert.deepEqual(cx.cxIndex(again), r)
  assert.deepEqual(cx.cxIndex(cx.CxSummary.fromJSON(s.toJSON())), r)
  assert.equal(s.toJSON().format, 'cxkit.cx_summary')
  assert.deepEqual(s.dims, DIMS)
  assert.equal(new cx.CxSummary(['a'], { requireAll: true }).requireAll, true)
  assert.equal(cx.cxIndex(s, { method: 'mean' }).method, 'mean')
})

/** Assert that `fn` throws an Error with this `code` (and these fields), returning it. */
function throws(fn, code, fields = {}) {
  let caught
  try {
    fn()
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof Error, `${code}: nothing thrown`)
  assert.equal(caught.code, code, caught.message)
  for (const [k, v] of Object.entries(fields)) assert.deepEqual(caught[k], v, `${code}.${k}`)
  return caught
}

test('bad input is a clear error', () => {
  throws(() => cx.cxIndex({ a: [1, 2, 3], b: [1, 2] }), 'CX_LENGTH_MISMATCH', {
    leftName: 'dimension 1', left: 3, rightName: 'dimension 2', right: 2,
  })
  throws(() => cx.cxIndex({ a: [1, 2] }, { weights: [1] }), 'CX_LENGTH_MISMATCH', {
    leftName: 'respondents', left: 2, rightName: 'weights', right: 1,
  })
  throws(() => cx.cxIndex({ a: [1, 2], b: [1, 2] }, { dimWeights: [1] }), 'CX_LENGTH_MISMATCH', {
    leftName: 'dims', left: 2, rightName: 'dimWeights', right: 1,
  })
  throws(() => cx.cxIndex({ a: [1, 2] }, { dimWeights: { b: 1 } }), 'CX_INVALID_ARGUMENT', { argument: 'dims', value: '"b"' })
  throws(() => cx.cxIndex({ a: [1, 2] }, { scales: { emotion: 'ces' } }), 'CX_INVALID_ARGUMENT', { argument: 'dims' })
  const bands = throws(() => cx.cxIndex({ a: [1, 2] }, { bands: [55, 65, 60, 85] }), 'CX_INVALID_ARGUMENT', { argument: 'bands' })
  assert.match(bands.message, /strictly increasing/)
  throws(() => cx.cxIndex({ a: [1, 2] }, { bands: [1, 2] }), 'CX_INVALID_ARGUMENT', { argument: 'bands' })
  throws(() => cx.cxIndex({ a: [1, 2] }, { method: 'median' }), 'CX_INVALID_ARGUMENT', { argument: 'method' })
  throws(() => cx.cxIndex({}), 'CX_INVALID_ARGUMENT', { argument: 'dims' })
  throws(() => cx.cxIndex({ a: [1, 6] }), 'CX_OUT_OF_SCALE', { index: 1, value: 6 })
  throws(() => cx.cxIndex({ a: [1, 2.5] }), 'CX_NON_INTEGER', { index: 1, value: 2.5 })
  throws(() => cx.cxIndex({ a: [1, 2], b: [null, null] }), 'CX_EMPTY_INPUT')
  throws(() => cx.cxIndex({ a: [4] }, { method: 'mean' }), 'CX_INSUFFICIENT_DATA')
  throws(() => cx.cxIndex({ a: [4, 5] }, { weights: [1, -1] }), 'CX_INVALID_WEIGHT', { index: 1, value: -1 })
  throws(() => cx.cxIndex({ a: [4, 5] }, { level: 1 }), 'CX_INVALID_LEVEL')
  throws(() => cx.cxIndex(new cx.CxSummary(), { weights: [1] }), 'CX_INVALID_ARGUMENT')
  throws(() => cx.cxIndexBy({ a: [4, 5] }, ['x', 'y'], { reference: 'z' }), 'CX_UNKNOWN_GROUP')
  throws(() => cx.cxIndexBy({ a: [4, 5] }, ['x']), 'CX_LENGTH_MISMATCH')
  throws(() => cx.cxIndexBy({ a: [4, 5] }, null, { dates: [0, 1], reference: 'x' }), 'CX_INVALID_ARGUMENT')
  throws(() => cx.cxIndexBy({ a: [4, 5] }, null, { window: 2 }), 'CX_INVALID_ARGUMENT', { argument: 'window' })
  throws(() => new cx.CxSummary(['a', 'a']), 'CX_INVALID_ARGUMENT', { argument: 'dims' })
  const s = new cx.CxSummary()
  throws(() => s.push([1, 2]), 'CX_LENGTH_MISMATCH')
  throws(() => s.extend({ effectiveness: [1], ease: [1] }), 'CX_INVALID_ARGUMENT', { argument: 'dims' })
  throws(() => s.extend({ effectiveness: [1], ease: [1], emotion: [1], trust: [1] }), 'CX_INVALID_ARGUMENT', { argument: 'dims' })
  throws(() => s.merge(new cx.CxSummary(null, { requireAll: true })), 'CX_INVALID_ARGUMENT')
  throws(() => s.merge(new cx.CxSummary(null, { scales: 'ces' })), 'CX_SCALE_MISMATCH')
  throws(() => cx.CxSummary.fromJSON('{"format":"cxkit.cx_summary","version":9}'), 'CX_UNREADABLE_SUMMARY')
  assert.equal(s.n, 0)
})
