// Brute-force oracles: recount every respondent in a plain loop and apply the textbook formulas,
// then compare with the binding on random data (seeded), to TOL = 1e-12 relative-or-absolute.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nps, topBox, bottomBox, mean, distribution } from '../index.js'
import { TOL, Z95, prng, close, randomAnswers } from './helpers.mjs'

const clip = (x) => Math.min(100, Math.max(-100, x))

/** Wilson (1927) score interval for x successes out of n. */
function wilson(x, n, z = Z95) {
  const p = x / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

test('unweighted NPS, Wald SE and interval, Wilson box shares: binding equals the recount', () => {
  const rng = prng(20240611)
  for (let trial = 0; trial < 300; trial++) {
    const values = randomAnswers(rng, rng.int(1, 400))
    let promoters = 0
    let passives = 0
    let detractors = 0
    let missing = 0
    for (const v of values) {
      if (v === null) missing++
      else if (v >= 9) promoters++
      else if (v <= 6) detractors++
      else passives++
    }
    const n = promoters + passives + detractors
    if (n === 0) {
      assert.throws(() => nps(values), { code: 'CX_EMPTY_INPUT' })
      continue
    }
    const p = promoters / n
    const d = detractors / n
    const estimate = 100 * (p - d)
    const se = 100 * Math.sqrt((p + d - (p - d) ** 2) / n)

    const r = nps(values, { method: 'wald' })
    assert.deepEqual(
      [r.promoters, r.passives, r.detractors, r.n, r.missing],
      [promoters, passives, detractors, n, missing],
    )
    close(r.estimate, estimate, 'estimate')
    close(r.stdError, se, 'stdError')
    close(r.promoterShare, p, 'promoterShare')
    close(r.detractorShare, d, 'detractorShare')
    close(r.passiveShare, passives / n, 'passiveShare')
    close(r.effectiveN, n, 'effectiveN')
    close(r.interval.lower, clip(estimate - Z95 * se), 'Wald lower')
    close(r.interval.upper, clip(estimate + Z95 * se), 'Wald upper')
    assert.equal(r.interval.method, 'wald')
    assert.equal(r.interval.level, 0.95)

    const top = topBox(values, { scale: 'nps' })
    const [lo, hi] = wilson(promoters, n)
    assert.equal(top.count, promoters)
    close(top.estimate, p, 'top box share')
    close(top.stdError, Math.sqrt((p * (1 - p)) / n), 'top box SE')
    close(top.interval.lower, lo, 'Wilson lower')
    close(top.interval.upper, hi, 'Wilson upper')
    assert.equal(top.interval.method, 'wilson')

    const bottom = bottomBox(values, { scale: 'nps' })
    const [blo, bhi] = wilson(detractors, n)
    assert.equal(bottom.count, detractors)
    close(bottom.interval.lower, blo, 'Wilson lower (bottom)')
    close(bottom.interval.upper, bhi, 'Wilson upper (bottom)')
  }
})

test('weighted NPS: linearised SE and Kish effective n equal the per-respondent sums', () => {
  const rng = prng(7)
  for (let trial = 0; trial < 200; trial++) {
    const values = randomAnswers(rng, rng.int(2, 300))
    const weights = values.map(() => 0.1 + 4 * rng.next())
    let W = 0
    let W2 = 0
    let Wp = 0
    let Wd = 0
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (v === null) continue
      W += weights[i]
      W2 += weights[i] ** 2
      if (v >= 9) Wp += weights[i]
      if (v <= 6) Wd += weights[i]
    }
    if (W === 0) continue
    const s = Wp / W - Wd / W
    let ss = 0
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      if (v === null) continue
      const y = v >= 9 ? 1 : v <= 6 ? -1 : 0
      ss += weights[i] ** 2 * (y - s) ** 2
    }
    const r = nps(values, { weights, method: 'wald' })
    close(r.estimate, 100 * s, 'weighted estimate')
    close(r.stdError, (100 * Math.sqrt(ss)) / W, 'weighted SE')
    close(r.effectiveN, (W * W) / W2, 'Kish effective n')
    close(r.interval.lower, clip(100 * s - Z95 * r.stdError), 'weighted Wald lower')
  }
})

test('mean and distribution equal the recount', () => {
  const rng = prng(99)
  for (let trial = 0; trial < 200; trial++) {
    const values = Array.from({ length: rng.int(2, 200) }, () => rng.int(1, 7))
    const n = values.length
    let sum = 0
    for (const v of values) sum += v
    const m = sum / n
    let ss = 0
    for (const v of values) ss += (v - m) ** 2
    const sd = Math.sqrt(ss / (n - 1))
    const r = mean(values, { scale: 'ces' })
    close(r.estimate, m, 'mean')
    close(r.stdDev, sd, 'sd')
    close(r.stdError, sd / Math.sqrt(n), 'SE of the mean')
    assert.equal(r.n, n)

    const dist = distribution(values, { scale: 'ces' })
    assert.deepEqual(
      dist.points.map((p) => p.point),
      [1, 2, 3, 4, 5, 6, 7],
    )
    for (const point of dist.points) {
      let count = 0
      for (const v of values) if (v === point.point) count++
      assert.equal(point.count, count)
      assert.equal(point.weight, count)
      close(point.share, count / n, `share of ${point.point}`, TOL)
    }
  }
})
