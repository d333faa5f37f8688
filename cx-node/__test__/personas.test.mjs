// customerView against a brute-force join written out here; personas against planted clusters,
// a brute-force silhouette, the cross-language fixture (same seed, same personas as Rust and
// Python), assignPersonas from the model JSON, and the bad-input errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import * as cx from '../index.js'
import { prng, close } from './helpers.mjs'

const DAY = 86_400_000
const START = Date.UTC(2026, 0, 1)
const iso = (d) => new Date(START + d * DAY).toISOString().slice(0, 10)

test('customerView matches a brute-force join', () => {
  const rng = prng(5)
  const ids = Array.from({ length: 25 }, (_, i) => `c${i}`)
  const survey = { customer: [], date: [], ratings: { nps: [], ease: [] } }
  for (let i = 0; i < 120; i++) {
    survey.customer.push(ids[rng.int(0, 19)])
    survey.date.push(iso(rng.int(0, 150)))
    survey.ratings.nps.push(rng.next() < 0.1 ? null : rng.int(0, 10))
    survey.ratings.ease.push(rng.int(1, 7))
  }
  const log = { customer: [], date: [], revenue: [] }
  for (let i = 0; i < 300; i++) {
    log.customer.push(ids[rng.int(5, 24)])
    log.date.push(iso(rng.int(0, 200)))
    log.revenue.push(rng.int(-5, 60))
  }
  const cutoff = iso(160)
  const rows = cx.customerView(survey, log, { cutoff, activeDays: 30 })
  const expectedIds = [...new Set([...survey.customer.filter((_, i) => survey.date[i] <= cutoff),
    ...log.customer.filter((_, i) => log.date[i] <= cutoff)])].sort()
  assert.deepEqual(rows.map((r) => r.customer), expectedIds)
  const days = (s) => Math.round((Date.parse(s) - START) / DAY)
  for (const r of rows) {
    const resp = survey.customer.map((c, i) => i).filter((i) => survey.customer[i] === r.customer && survey.date[i] <= cutoff)
    assert.equal(r.responses, resp.length)
    assert.equal(r.inSurvey, resp.length > 0)
    const answered = resp.filter((i) => survey.ratings.nps[i] !== null)
    let latest = null
    let best = null
    for (const i of answered) {
      if (best === null || survey.date[i] >= survey.date[best]) best = i
    }
    if (best !== null) latest = survey.ratings.nps[best]
    if (resp.length > 0) assert.equal(r.ratings.nps.latest, latest)
    if (answered.length > 0) {
      close(r.ratings.nps.mean, answered.reduce((s, i) => s + survey.ratings.nps[i], 0) / answered.length)
      const cat = latest >= 9 ? 'promoter' : latest >= 7 ? 'passive' : 'detractor'
      assert.equal(r.npsCategory, cat)
    }
    const tx = log.customer.map((c, i) => i).filter((i) => log.customer[i] === r.customer && log.date[i] <= cutoff)
    assert.equal(r.inTransactions, tx.length > 0)
    close(r.revenue, tx.reduce((s, i) => s + log.revenue[i], 0))
    const buyDays = [...new Set(tx.filter((i) => log.revenue[i] >= 0).map((i) => log.date[i]))].sort()
    assert.equal(r.frequency, buyDays.length)
    if (buyDays.length > 0) {
      assert.equal(r.lastPurchase, buyDays.at(-1))
      assert.equal(r.recencyDays, days(cutoff) - days(buyDays.at(-1)))
      assert.equal(r.tenureDays, days(cutoff) - days(buyDays[0]))
      assert.equal(r.active, days(cutoff) - days(buyDays.at(-1)) < 30)
    } else {
      assert.equal(r.active, null)
      assert.equal(r.recencyDays, null)
    }
    assert.equal(r.clv, null)
  }
})

/** Four planted, well-separated clusters. */
function planted(nPer, seed) {
  const rng = prng(seed)
  const centres = [[0, 0], [8, 0], [0, 8], [8, 8]]
  const cols = { ease: [], revenue: [] }
  const truth = []
  centres.forEach((c, k) => {
    for (let i = 0; i < nPer; i++) {
      cols.ease.push(c[0] + rng.next() - 0.5)
      cols.revenue.push(c[1] + rng.next() - 0.5)
      truth.push(k)
    }
  })
  return { cols, truth }
}

function samePartition(a, b) {
  const f = new Map()
  const g = new Map()
  return a.every((x, i) => {
    if (!f.has(x)) f.set(x, b[i])
    if (!g.has(b[i])) g.set(b[i], x)
    return f.get(x) === b[i] && g.get(b[i]) === x
  })
}

test('planted clusters are recovered exactly and k chosen by silhouette', () => {
  const { cols, truth } = planted(30, 3)
  const p = cx.personas(cols, ['ease', 'revenue'], { kMin: 2, kMax: 6, seed: 1 })
  assert.equal(p.k, 4)
  assert.equal(p.method, 'k-means')
  assert.ok(samePartition(p.assignments, truth))
  assert.deepEqual(p.scores.map((s) => s.k), [2, 3, 4, 5, 6])
  // The silhouette of the chosen k against a brute force on the z-scores.
  const z = ['ease', 'revenue'].map((f) => {
    const x = cols[f]
    const m = x.reduce((s, v) => s + v, 0) / x.length
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length)
    return x.map((v) => (v - m) / sd)
  })
  const n = truth.length
  const dist = (i, j) => Math.hypot(z[0][i] - z[0][j], z[1][i] - z[1][j])
  let total = 0
  for (let i = 0; i < n; i++) {
    const sums = new Map()
    const counts = new Map()
    for (let j = 0; j < n; j++) {
      if (i === j) continue
      const c = p.assignments[j]
      sums.set(c, (sums.get(c) ?? 0) + dist(i, j))
      counts.set(c, (counts.get(c) ?? 0) + 1)
    }
    const own = p.assignments[i]
    const a = sums.get(own) / counts.get(own)
    let b = Infinity
    for (const [c, s] of sums) if (c !== own) b = Math.min(b, s / counts.get(c))
    total += (b - a) / Math.max(a, b)
  }
  close(p.scores.find((s) => s.k === 4).silhouette, total / n, 'silhouette', 1e-10)
  for (const q of p.personas) {
    assert.equal(q.size, 30)
    assert.ok(q.needs.length > 0 && q.label.length > 0)
  }
  // the model JSON assigns the same customers to the same personas
  assert.deepEqual(cx.assignPersonas(p.model, cols), p.assignments)
})

test('same seed, same personas as Rust and Python (shared fixture)', () => {
  const fx = JSON.parse(readFileSync(new URL('../../testdata/personas.json', import.meta.url)))
  const p = cx.personas(fx.columns, fx.features, { kMin: fx.k_min, kMax: fx.k_max, seed: fx.seed })
  assert.equal(p.k, fx.expected.k)
  assert.deepEqual(p.assignments, fx.expected.assignments)
  p.scores.forEach((s, i) => close(s.silhouette, fx.expected.silhouette[i], 'silhouette', 1e-9))
  assert.deepEqual(p.personas.map((q) => q.label), fx.expected.labels)
  // the same per-persona CX index, key drivers and needs
  const q = cx.personas(fx.columns, fx.features, {
    kMin: fx.k_min,
    kMax: fx.k_max,
    seed: fx.seed,
    loyalty: fx.profile.loyalty,
    drivers: fx.profile.drivers,
    cxDims: fx.profile.cx_dims,
  })
  assert.equal(q.personas.length, fx.expected_profile.length)
  q.personas.forEach((got, i) => {
    const want = fx.expected_profile[i]
    close(got.cxIndex.estimate, want.cx_index, 'cx index', 1e-9)
    close(got.cxIndex.stdError, want.cx_std_error, 'cx se', 1e-9)
    close(got.drivers.rSquared, want.r_squared, 'r2', 1e-9)
    got.drivers.ranking.forEach((d, j) => {
      assert.equal(d.driver, want.drivers[j][0])
      close(d.share, want.drivers[j][1], 'share', 1e-9)
      close(d.beta, want.drivers[j][2], 'beta', 1e-9)
    })
    assert.deepEqual(got.needs, want.needs)
  })
})

test('CX index and key drivers per persona, recomputed from the members', () => {
  // two planted personas; loyalty follows ease in the first, emotion in the second
  const rand = prng(17).next
  const n = 240
  const x = [], ease = [], emotion = [], kept = [], easeLatest = []
  for (let i = 0; i < n; i++) {
    const g = i < n / 2 ? 0 : 1
    x.push(g * 10 + rand())
    ease.push(1 + 4 * rand())
    emotion.push(1 + 4 * rand())
    const drive = g === 0 ? ease[i] / 5 : emotion[i] / 5
    kept.push(rand() < drive ? 1 : 0)
    easeLatest.push(i % 11 === 0 ? null : Math.min(5, Math.max(1, Math.round(ease[i]))))
  }
  const p = cx.personas({ x, ease_mean: ease, emotion_mean: emotion, kept, ease_latest: easeLatest }, ['x'], {
    k: 2, loyalty: 'kept', drivers: ['ease_mean', 'emotion_mean'], cxDims: ['ease_latest'],
  })
  const corr = (a, b) => {
    const m = (v) => v.reduce((s, t) => s + t, 0) / v.length
    const [ma, mb] = [m(a), m(b)]
    let sab = 0, saa = 0, sbb = 0
    a.forEach((v, i) => { sab += (v - ma) * (b[i] - mb); saa += (v - ma) ** 2; sbb += (b[i] - mb) ** 2 })
    return sab / Math.sqrt(saa * sbb)
  }
  const tops = []
  for (const q of p.personas) {
    const idx = p.assignments.flatMap((a, i) => (a === q.id ? [i] : []))
    // net CX score of the members' latest ease answers (top-2-box minus bottom-2-box, points)
    const answers = idx.map((i) => easeLatest[i]).filter((v) => v !== null)
    const net = (100 * (answers.filter((v) => v >= 4).length - answers.filter((v) => v <= 2).length)) / answers.length
    close(q.cxIndex.estimate, net, 'net', 1e-9)
    assert.equal(q.cxIndex.dimensions[0].name, 'ease')
    // two drivers: R² and LMG shares written out (LMG_1 = (r1² + R² − r2²) / 2)
    const a = idx.map((i) => ease[i]), b = idx.map((i) => emotion[i]), y = idx.map((i) => kept[i])
    const [r1, r2, r12] = [corr(a, y), corr(b, y), corr(a, b)]
    const rsq = (r1 * r1 + r2 * r2 - 2 * r1 * r2 * r12) / (1 - r12 * r12)
    close(q.drivers.rSquared, rsq, 'R²', 1e-9)
    const e = q.drivers.ranking.find((d) => d.driver === 'ease')
    close(e.share, (r1 * r1 + rsq - r2 * r2) / 2 / rsq, 'LMG share', 1e-9)
    close(e.correlation, r1, 'r', 1e-9)
    assert.equal(q.drivers.outcome, 'loyalty')
    assert.equal(q.drivers.skipped, null)
    tops.push([idx[0] < n / 2 ? 0 : 1, q.drivers.ranking[0].driver, q.needs[0]])
  }
  tops.sort()
  assert.deepEqual(tops.map((t) => t[1]), ['ease', 'emotion'])
  assert.ok(tops.every((t) => t[2].startsWith(`improve ${t[1]} `)), JSON.stringify(tops))
  // drivers need an outcome; a mean rating is not an answer on the scale
  assert.throws(() => cx.personas({ x, ease_mean: ease }, ['x'], { k: 2, drivers: ['ease_mean'] }),
    (e) => e.code === 'CX_INVALID_ARGUMENT' && /outcome/.test(e.message))
  assert.throws(() => cx.personas({ x, ease_mean: ease }, ['x'], { k: 2, cxDims: ['ease_mean'] }),
    (e) => e.code === 'CX_NON_INTEGER' && e.index === 0)
})

test('k-prototypes with a categorical column, and null for missing features', () => {
  const n = 60
  const x = Array.from({ length: n }, (_, i) => ((i * 37) % 11) / 10)
  const channel = Array.from({ length: n }, (_, i) => (i % 2 ? 'store' : 'app'))
  x[5] = null
  const p = cx.personas({ x, channel }, ['x'], { categorical: ['channel'], k: 2, gamma: 10 })
  assert.equal(p.method, 'k-prototypes')
  assert.equal(p.assignments[5], null)
  assert.equal(p.missing, 1)
  const truth = channel.map((c) => (c === 'app' ? 0 : 1))
  const got = p.assignments.map((a, i) => (a === null ? truth[i] === 0 ? p.assignments[0] : 1 - p.assignments[0] : a))
  assert.ok(samePartition(got, truth))
  assert.deepEqual(p.personas.map((q) => q.modes[0].share), [1, 1])
})

test('bad input throws coded errors naming the column', () => {
  const code = (fn, c) => assert.throws(fn, (e) => e.code === c)
  code(() => cx.personas({ a: [1, 2, 3], flat: [5, 5, 5] }, ['a', 'flat']), 'CX_ZERO_VARIANCE')
  code(() => cx.personas({ a: [1, 2, 3] }, ['a'], { k: 5 }), 'CX_INSUFFICIENT_DATA')
  code(() => cx.personas({ a: [null, null] }, ['a']), 'CX_EMPTY_INPUT')
  assert.throws(() => cx.personas({ a: [1, 2] }, ['nope']), (e) => e.code === 'CX_INVALID_ARGUMENT' && /nope/.test(e.message))
  code(() => cx.personas({ a: [1, 2, 3] }, ['a'], { kMin: 4, kMax: 2 }), 'CX_INVALID_ARGUMENT')
  code(() => cx.personas({ a: [1, 2, 3] }, ['a'], { tol: -1 }), 'CX_INVALID_ARGUMENT')
  code(() => cx.assignPersonas('{}', { a: [1] }), 'CX_UNREADABLE_SUMMARY')
  const log = { customer: ['a'], date: ['2026-01-01'], revenue: [1] }
  assert.throws(
    () => cx.customerView({ customer: ['a', 'b'], ratings: { nps: [3, 11] } }, log),
    (e) => e.code === 'CX_OUT_OF_SCALE' && e.index === 1,
  )
  assert.throws(
    () => cx.customerView({ customer: ['a'], ratings: { ease: [Infinity] } }, log),
    (e) => e.code === 'CX_INVALID_ARGUMENT' && /"ease" at index 0/.test(e.message),
  )
  assert.throws(
    () => cx.customerView({ customer: ['a'], ratings: {} }, log, { nps: 'x' }),
    (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'nps',
  )
})

test('loyalty rate per persona with its Wilson interval, recomputed by filtering', () => {
  const { cols } = planted(25, 4)
  const n = cols.ease.length
  // 0/1 outcome with every seventh customer missing (null)
  cols.kept = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : (i * 13) % 5 < 3 ? 1 : 0))
  const p = cx.personas(cols, ['ease', 'revenue'], { k: 4, loyalty: 'kept' })
  const z = 1.959963984540054
  for (const q of p.personas) {
    const kept = cols.kept.filter((v, i) => p.assignments[i] === q.id && v !== null)
    const m = kept.length
    const ph = kept.reduce((s, v) => s + v, 0) / m
    const centre = (ph + (z * z) / (2 * m)) / (1 + (z * z) / m)
    const half = (z / (1 + (z * z) / m)) * Math.sqrt((ph * (1 - ph)) / m + (z * z) / (4 * m * m))
    assert.equal(q.loyalty.n, m)
    close(q.loyalty.estimate, ph, 'loyalty', 1e-12)
    close(q.loyalty.interval.lower, centre - half, 'lower', 1e-9)
    close(q.loyalty.interval.upper, centre + half, 'upper', 1e-9)
  }
  assert.equal(cx.personas(cols, ['ease', 'revenue'], { k: 4 }).personas[0].loyalty, null)
  cols.kept[2] = 3
  assert.throws(
    () => cx.personas(cols, ['ease', 'revenue'], { k: 4, loyalty: 'kept' }),
    (e) => e.code === 'CX_OUT_OF_SCALE' && e.index === 2,
  )
})

test('options are the core\'s: k as a number or [kMin, kMax], errors naming the option in camelCase', () => {
  const { cols } = planted(10, 6)
  const a = cx.personas(cols, ['ease', 'revenue'], { k: [3, 4], seed: 2 })
  const b = cx.personas(cols, ['ease', 'revenue'], { kMin: 3, kMax: 4, seed: 2 })
  assert.deepEqual(a, b)
  assert.deepEqual(a.scores.map((s) => s.k), [3, 4])
  assert.throws(() => cx.personas(cols, ['ease'], { nInit: 0 }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'nInit')
  assert.throws(() => cx.personas(cols, ['ease'], { cxMethod: 'median', cxDims: ['ease'] }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'cxMethod')
  assert.throws(() => cx.personas(cols, ['ease'], { kmin: 2 }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'options')
  assert.throws(() => cx.personas(cols, ['ease'], { seed: 'x' }), (e) => e.argument === 'seed')
  // drivers and CX dimensions may be named: { name: column }
  cols.score = cols.ease.map((_, i) => (i * 7) % 11)
  const named = cx.personas(cols, ['ease', 'revenue'], { k: 4, drivers: { Speed: 'revenue' }, nps: 'score' })
  assert.ok(named.personas.every((q) => q.drivers.outcome === 'nps'))
  assert.ok(named.personas.every((q) => q.drivers.ranking.every((d) => d.driver === 'Speed')))
})
