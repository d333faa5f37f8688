// Lifetime-value models and customer equity: the published sBG example, the BG/NBD likelihood
// written out here (the fit is its maximum: finite-difference gradient ~ 0), data generated
// from known parameters, and the Blattberg-Deighton formula against a grid.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { prng, close } from './helpers.mjs'

test('sBG reproduces Fader and Hardie (2007)', () => {
  const f = cx.fitSbg([1, 0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491])
  close(f.alpha, 0.668, 'alpha', 1e-3)
  close(f.beta, 3.806, 'beta', 1e-3)
  const s = f.survival([8, 9, 10, 11, 12])
  ;[0.46, 0.436, 0.414, 0.395, 0.378].forEach((want, i) => assert.ok(Math.abs(s[i] - want) < 1.5e-3, `${s[i]} vs ${want}`))
  close(f.retentionRate([1])[0], f.beta / (f.alpha + f.beta), 'r1')
})

/** ln Γ by Lanczos (g = 7, n = 9), enough for a likelihood check. */
function lnGamma(z) {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z)
  z -= 1
  let x = c[0]
  for (let i = 1; i < 9; i++) x += c[i] / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x)
}
const lnBeta = (a, b) => lnGamma(a) + lnGamma(b) - lnGamma(a + b)

/** BG/NBD log-likelihood, Fader, Hardie and Lee (2005) eq. 6, written out. */
function ll([r, alpha, a, b], d) {
  let s = 0
  for (let i = 0; i < d.frequency.length; i++) {
    const [x, tx, T] = [d.frequency[i], d.recency[i], d.T[i]]
    const common = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha)
    let l = Math.exp(lnBeta(a, b + x) - lnBeta(a, b) + common - (r + x) * Math.log(alpha + T))
    if (x > 0) l += Math.exp(lnBeta(a + 1, b + x - 1) - lnBeta(a, b) + common - (r + x) * Math.log(alpha + tx))
    s += Math.log(l)
  }
  return s
}

/** Customers from the BG/NBD story with known parameters. */
function simulate(n, [r, alpha, a, b], seed) {
  const rng = prng(seed)
  const gamma = (k) => {
    // Marsaglia-Tsang, with the k < 1 boost
    if (k < 1) return gamma(k + 1) * Math.pow(rng.next(), 1 / k)
    const d = k - 1 / 3
    const c = 1 / Math.sqrt(9 * d)
    for (;;) {
      let x, v
      do {
        const u1 = rng.next() || 1e-12
        x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.next())
        v = 1 + c * x
      } while (v <= 0)
      v = v * v * v
      const u = rng.next()
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
    }
  }
  const d = { frequency: [], recency: [], T: [] }
  for (let i = 0; i < n; i++) {
    const lambda = gamma(r) / alpha
    const ga = gamma(a)
    const p = ga / (ga + gamma(b))
    const T = 52 - 17 * rng.next()
    let t = 0
    let x = 0
    let tx = 0
    for (;;) {
      t += -Math.log(1 - rng.next()) / lambda
      if (t > T) break
      x += 1
      tx = t
      if (rng.next() < p) break
    }
    d.frequency.push(x)
    d.recency.push(tx)
    d.T.push(T)
  }
  return d
}

test('BG/NBD: the fit maximises the likelihood written out, and recovers known parameters', () => {
  const truth = [0.5, 3, 0.8, 2.5]
  const data = simulate(20000, truth, 11)
  const f = cx.fitBgnbd(data)
  const p = [f.r, f.alpha, f.a, f.b]
  close(f.logLikelihood, ll(p, data), 'log-likelihood', 1e-9)
  for (let i = 0; i < 4; i++) {
    const h = 1e-5 * p[i]
    const up = p.slice()
    const down = p.slice()
    up[i] += h
    down[i] -= h
    const slope = (ll(up, data) - ll(down, data)) / (2 * h)
    assert.ok(Math.abs(slope * p[i]) < 0.05, `d ll / d log p[${i}] = ${slope * p[i]}`)
    assert.ok(Math.abs(p[i] - truth[i]) / truth[i] < 0.15, `param ${i}: ${p[i]} vs ${truth[i]}`)
  }
  const alive = f.pAlive({ frequency: [0, 3], recency: [0, 50], T: [52, 52] })
  assert.equal(alive[0], 1)
  const e = f.expectedPurchases(10, { frequency: [3], recency: [50], T: [52] })
  assert.ok(e[0] > 0)
  const clv = f.clv({ frequency: [3], recency: [50], T: [52] }, [20], { periodLength: 4.345 })
  assert.ok(clv[0] > 0)
})

test('Gamma-Gamma and the margin multiplier', () => {
  const g = cx.fitGammaGamma({ frequency: [1, 2, 3, 1, 4, 2], monetaryValue: [20, 35, 28, 50, 31, 40] })
  assert.equal(g.n, 6)
  const e = g.expectedSpend({ frequency: [2], monetaryValue: [30] })
  close(e[0], (g.p * (g.v + 60)) / (2 * g.p + g.q - 1), 'expected spend')
  close(cx.marginMultiplier(100, 0.8, 0.1), 80 / 0.3, 'margin multiplier')
  assert.throws(() => cx.marginMultiplier(100, 1.5, 0.1), (err) => err.code === 'CX_INVALID_ARGUMENT')
  assert.throws(() => cx.fitBgnbd({ frequency: [1, 2], recency: [1], T: [3, 3] }), (err) => err.code === 'CX_LENGTH_MISMATCH')
  assert.throws(() => cx.fitGammaGamma({ frequency: [0], monetaryValue: [1] }), (err) => err.code === 'CX_INSUFFICIENT_DATA')
})

test('customer equity: the formula written out, and no grid point beats the optimum', () => {
  const acquisition = cx.responseCurve(0.4, 50, 0.2)
  const retention = cx.responseCurve(0.9, 20, 0.6)
  close(acquisition.k, Math.log(2) / 50, 'k')
  const input = { margin: 100, discount: 0.1, acquisition, retention, acquisitionSpend: 30, retentionSpend: 10 }
  const ce = (A, R) => {
    const a = 0.4 * (1 - Math.exp(-acquisition.k * A))
    const r = 0.9 * (1 - Math.exp(-retention.k * R))
    const rp = r / 1.1
    const per = R === 0 ? 0 : R / r
    return [a * 100 - A + a * (100 - per) * (rp / (1 - rp)), A + a * per * (rp / (1 - rp))]
  }
  const res = cx.customerEquity({ ...input, budget: 30 })
  close(res.current.customerEquity, ce(30, 10)[0], 'current')
  let best = -Infinity
  let affordable = -Infinity
  for (let i = 0; i <= 300; i++) {
    for (let j = 0; j <= 200; j++) {
      const [e, s] = ce(i, j * 0.5)
      best = Math.max(best, e)
      if (s <= 30) affordable = Math.max(affordable, e)
    }
  }
  assert.ok(res.optimum.customerEquity >= best - 1e-9)
  assert.ok(res.budgetOptimum.customerEquity >= affordable - 1e-6)
  assert.ok(res.budgetOptimum.spendPerProspect <= 30 + 1e-6)
  close(res.optimum.gain, res.optimum.customerEquity - res.current.customerEquity, 'gain')
  assert.throws(() => cx.customerEquity({ ...input, margin: -1 }), (err) => err.code === 'CX_INVALID_ARGUMENT')
  assert.throws(() => cx.responseCurve(0.4, 50, 0.5), (err) => err.code === 'CX_INVALID_ARGUMENT')
})
