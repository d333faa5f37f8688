// Loyalty lift, curve, revenue impact and key drivers: published examples (Newcombe 1998;
// Johnson 2000 on mtcars), formulas written out here, and every new error path.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const cx = require('../index.js')

const twoGroups = (a, n1, c, n2) => ({
  outcome: [...Array(n1)].map((_, i) => (i < a ? 1 : 0)).concat([...Array(n2)].map((_, i) => (i < c ? 1 : 0))),
  exposure: Array(n1).fill(1).concat(Array(n2).fill(0)),
})

test('Newcombe (1998) table II hybrid score intervals', () => {
  for (const [counts, [lo, hi]] of [[[56, 70, 48, 80], [0.0524, 0.3339]], [[9, 10, 3, 10], [0.1705, 0.809]]]) {
    const { outcome, exposure } = twoGroups(...counts)
    const r = cx.loyaltyLift(outcome, { exposure })
    assert.equal(Math.round(r.riskDifference.interval.lower * 1e4) / 1e4, lo)
    assert.equal(Math.round(r.riskDifference.interval.upper * 1e4) / 1e4, hi)
    assert.equal(r.riskDifference.interval.method, 'newcombe-hybrid')
  }
})

test('risk ratio (Katz) and odds ratio (Woolf) written out', () => {
  const [a, n1, c, n2] = [40, 50, 30, 60]
  const { outcome, exposure } = twoGroups(a, n1, c, n2)
  const r = cx.loyaltyLift(Float64Array.from(outcome), { exposure: Uint8Array.from(exposure) })
  const rr = (a / n1) / (c / n2)
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
  assert.ok(Math.abs(r.riskRatio.estimate - rr) < 1e-12)
  assert.ok(Math.abs(r.riskRatio.interval.lower - rr * Math.exp(-1.959963984540054 * se)) < 1e-12)
  const or = (a * (n2 - c)) / ((n1 - a) * c)
  assert.ok(Math.abs(r.oddsRatio.estimate - or) < 1e-12)
  assert.equal(r.zeroCellCorrection, false)
})

test('groups from NPS scores, point ranges and bands agree', () => {
  const scores = [10, 9, 8, 3, 0, null, 10, 6]
  const outcome = [1, 1, 0, 0, 1, 1, 0, 0]
  const byScore = cx.loyaltyLift(outcome, { scores })
  assert.equal(byScore.exposed.n, 3)
  assert.equal(byScore.reference.n, 3)
  assert.equal(byScore.unknown, 1)
  const byRange = cx.loyaltyLift(outcome, { scores, exposed: [9, 10], reference: [0, 6] })
  assert.deepEqual(byRange, byScore)
  const bands = scores.map((s) => (s === null ? null : s >= 9 ? 'high' : s <= 6 ? 'low' : 'mid'))
  const byBand = cx.loyaltyLift(outcome, { bands, exposedBands: ['high'], referenceBands: ['low'] })
  assert.deepEqual(byBand, byScore)
})

test('loyalty curve, mean lift and revenue impact', () => {
  const curve = cx.loyaltyCurve([10, 10, 0, 0, 5], [1, 1, 0, 1, 1])
  assert.equal(curve.points.length, 11)
  assert.equal(curve.points[0].estimate, 0.5)
  assert.equal(curve.points[3].estimate, null)
  const m = cx.meanLift([10, 12, 14, 5, 6, 7], { exposure: [1, 1, 1, 0, 0, 0] })
  assert.ok(Math.abs(m.difference.estimate - 6) < 1e-12 && Math.abs(m.ratio.estimate - 2) < 1e-12)
  const r = cx.revenueImpact([1, 1, 1, 0, 1, 0, 0, 0], { exposure: [1, 1, 1, 1, 0, 0, 0, 0],
    customers: { promoters: 5000, detractors: 2000 }, revenuePerCustomer: 100, share: 0.1 })
  assert.ok(Math.abs(r.retainedChange.estimate - 100) < 1e-9)
  assert.ok(Math.abs(r.revenueChange.estimate - 10000) < 1e-6)
})

test('Johnson (2000) relative weights on mtcars; LMG sums to R²', () => {
  const rows = readFileSync(new URL('../../testdata/mtcars.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
  const col = (k) => rows.map((r) => Number(r[k]))
  const kd = cx.keyDrivers([col(2), col(3), col(4), col(6)], col(1), { resamples: 0 })
  assert.deepEqual(kd.drivers.map((d) => Math.round(d.relativeWeight.raw * 1e4) / 1e4), [0.2097, 0.1883, 0.18, 0.2707])
  const lmg = kd.drivers.reduce((s, d) => s + d.lmg.raw, 0)
  assert.ok(Math.abs(lmg - kd.rSquared) < 1e-12)
  const boot = cx.keyDrivers([col(2), col(6)], col(1), { resamples: 100, seed: 3 })
  assert.deepEqual(boot, cx.keyDrivers([col(2), col(6)], col(1), { resamples: 100, seed: 3 }))
  assert.ok(boot.drivers[0].lmg.rawInterval.lower < boot.drivers[0].lmg.raw)
})

test('errors', () => {
  const code = (f, c) => assert.throws(f, (e) => e.code === c)
  code(() => cx.loyaltyLift([1, 2, 0], { exposure: [1, 0, 0] }), 'CX_OUT_OF_SCALE')
  code(() => cx.loyaltyLift([1, 0], { exposure: [1, 1] }), 'CX_EMPTY_INPUT')
  code(() => cx.loyaltyLift([1, 0], {}), 'CX_INVALID_ARGUMENT')
  code(() => cx.loyaltyLift([1, 0, 1], { exposure: [1, 0] }), 'CX_LENGTH_MISMATCH')
  code(() => cx.loyaltyLift([1, 0], { scores: [9, 3], exposed: 'top_box', reference: [8, 10] }), 'CX_INVALID_ARGUMENT')
  const x = [1, 2, 3, 4, 5, 6]
  code(() => cx.keyDrivers([x, x.map((v) => 2 * v)], [1, 3, 2, 5, 4, 6], { resamples: 0 }), 'CX_INVALID_ARGUMENT')
  code(() => cx.keyDrivers([x, [1, 1, 1, 1, 1, 1]], [1, 3, 2, 5, 4, 6], { resamples: 0 }), 'CX_ZERO_VARIANCE')
  code(() => cx.keyDrivers(Array(16).fill(x), x, { resamples: 0 }), 'CX_INVALID_ARGUMENT')
  code(() => cx.meanLift([1, 2, 3], { exposure: [1, 0, 0] }), 'CX_INSUFFICIENT_DATA')
  code(() => cx.revenueImpact([1, 0], { exposure: [1, 0], customers: 10, revenuePerCustomer: 1, share: 2 }), 'CX_INVALID_ARGUMENT')
})
