// Segment and trend tables against brute force: every group's row equals filtering the scores by
// key (and period) and calling the one-sample function (`nps`, `csat`, `mean`, ...) on the
// subset; the comparison with the rest equals the same function on the complement, with the
// difference, standard error, test and p-value written out here (z test with a hand-written
// normal tail, Welch's t with hand-written degrees of freedom and incomplete beta), Holm and
// Benjamini-Hochberg written out over the tested family.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { Z95, prng, close } from './helpers.mjs'
import { normalP, studentP, welchDf, holm, bh } from './stats.mjs'

/** Tolerance of p-values (their tails go through different special-function code). */
const P_TOL = 1e-9

const REGIONS = ['North', 'South', 'East', 'West']
const CHANNELS = ['app', 'email', 'web']

/** Survey rows: region (a few missing, a rare "Island"), channel, an NPS score per region. */
function survey(seed, n) {
  const rng = prng(seed)
  const rows = []
  for (let i = 0; i < n; i++) {
    const u = rng.next()
    const region = u < 0.005 ? null : u < 0.011 ? 'Island' : REGIONS[rng.int(0, 3)]
    const channel = CHANNELS[rng.int(0, 2)]
    // Shift scores by region so that groups genuinely differ.
    const shift = { North: 2, South: -2, East: 0, West: 1, Island: 0 }[region] ?? 0
    const score = rng.next() < 0.04 ? null : Math.max(0, Math.min(10, rng.int(0, 10) + shift))
    rows.push({ region, channel, score, weight: rng.int(1, 12) / 4 })
  }
  return rows
}

/** Rows whose value of `key` equals `value` (null matching a missing key), and the rest. */
function split(rows, keyOf, value) {
  const inside = rows.filter((r) => keyOf(r) === value)
  const rest = rows.filter((r) => keyOf(r) !== value)
  return [inside, rest]
}

/** Holm or BH by hand over the rows that have a raw p-value; null elsewhere. */
function adjustedByHand(pValues, method) {
  const tested = pValues.map((p, i) => [p, i]).filter(([p]) => p !== null)
  const adjusted = (method === 'bh' ? bh : method === 'none' ? (p) => p : holm)(tested.map(([p]) => p))
  const out = pValues.map(() => null)
  tested.forEach(([, i], k) => (out[i] = adjusted[k]))
  return out
}

/**
 * Check a z comparison (NPS, shares) of estimates `a` minus `b` against a row's fields (95%
 * interval when the row has one) and return the row's raw p-value.
 */
function checkZ(actual, a, b, where) {
  const diff = a.estimate - b.estimate
  const se = Math.sqrt(a.stdError ** 2 + b.stdError ** 2)
  close(actual.diff, diff, `${where}: difference`)
  close(actual.se, se, `${where}: SE`)
  close(actual.p, normalP(diff / se), `${where}: p-value`, P_TOL)
  if (actual.lower !== undefined) {
    close(actual.lower, diff - Z95 * se, `${where}: lower`)
    close(actual.upper, diff + Z95 * se, `${where}: upper`)
  }
  return actual.p
}

const vsRest = (r) => ({ diff: r.diffVsRest, se: r.seVsRest, p: r.pVsRest, lower: r.lowerVsRest, upper: r.upperVsRest })

test('npsBy: every group equals nps on its subset, its test equals nps on the rest by hand (Holm)', () => {
  const rows = survey(1, 4000)
  const scores = rows.map((r) => r.score)
  const keys = rows.map((r) => r.region)
  const table = cx.npsBy(scores, keys)
  // Sorted group order, the missing key last.
  assert.deepEqual(
    table.map((r) => r.group),
    ['East', 'Island', 'North', 'South', 'West', '(missing)'],
  )
  assert.deepEqual(
    table.map((r) => r.keys),
    [['East'], ['Island'], ['North'], ['South'], ['West'], [null]],
  )
  const raw = []
  for (const row of table) {
    const [inside, rest] = split(rows, (r) => r.region, row.keys[0])
    const a = cx.nps(inside.map((r) => r.score))
    assert.deepEqual([row.n, row.missing, row.effectiveN], [a.n, a.missing, a.effectiveN], row.group)
    close(row.estimate, a.estimate, `${row.group}: estimate`)
    close(row.stdError, a.stdError, `${row.group}: SE`)
    close(row.lower, a.interval.lower, `${row.group}: lower`)
    close(row.upper, a.interval.upper, `${row.group}: upper`)
    assert.equal(row.tooSmall, a.n < 30, row.group)
    if (row.tooSmall) {
      for (const k of ['diffVsRest', 'seVsRest', 'lowerVsRest', 'upperVsRest', 'pVsRest', 'pAdjVsRest', 'significant']) {
        assert.equal(row[k], null, `${row.group}: ${k}`)
      }
      raw.push(null)
    } else {
      raw.push(checkZ(vsRest(row), a, cx.nps(rest.map((r) => r.score)), row.group))
    }
    // Without a reference, no reference columns at all.
    assert.ok(!('diffVsReference' in row) && !('significantVsReference' in row))
  }
  assert.ok(table.filter((r) => r.tooSmall).length === 2, 'Island and (missing) are below minBase')
  const expected = adjustedByHand(raw, 'holm')
  table.forEach((row, i) => {
    if (expected[i] === null) return
    close(row.pAdjVsRest, expected[i], `${row.group}: Holm`, P_TOL)
    assert.equal(row.significant, row.pAdjVsRest < 0.05)
  })
  assert.ok(table.some((r) => r.significant === true) && table.some((r) => r.significant === false))
})

test('npsBy: Benjamini-Hochberg, no adjustment, alpha, minBase and the options of nps', () => {
  const rows = survey(2, 3000)
  const scores = rows.map((r) => r.score)
  const keys = rows.map((r) => r.region)
  const holmTable = cx.npsBy(scores, keys, { minBase: 5 })
  for (const method of ['bh', 'none']) {
    const table = cx.npsBy(scores, keys, { adjust: method, minBase: 5, alpha: 0.01 })
    const expected = adjustedByHand(holmTable.map((r) => r.pVsRest), method)
    table.forEach((row, i) => {
      assert.equal(row.pVsRest, holmTable[i].pVsRest, 'raw p-values do not depend on the adjustment')
      if (expected[i] === null) return assert.equal(row.pAdjVsRest, null)
      close(row.pAdjVsRest, expected[i], `${row.group}: ${method}`, P_TOL)
      assert.equal(row.significant, row.pAdjVsRest < 0.01)
    })
  }
  // minBase 5 tests Island (about 18 answers) too.
  assert.equal(holmTable.find((r) => r.group === 'Island').tooSmall, false)
  // The options of nps apply to every group: method, level.
  const wald = cx.npsBy(scores, keys, { method: 'wald', level: 0.9 })
  for (const row of wald) {
    const subset = rows.filter((r) => r.region === row.keys[0]).map((r) => r.score)
    const a = cx.nps(subset, { method: 'wald', level: 0.9 })
    close(row.lower, a.interval.lower, `${row.group}: 90% Wald lower`)
    if (row.diffVsRest !== null) {
      const z90 = 1.6448536269514722
      close(row.upperVsRest - row.diffVsRest, z90 * row.seVsRest, `${row.group}: 90% interval of the difference`)
    }
  }
})

test('npsBy with weights: every group equals weighted nps on its subset', () => {
  const rows = survey(3, 2500)
  const table = cx.npsBy(
    rows.map((r) => r.score),
    rows.map((r) => r.region),
    { weights: rows.map((r) => r.weight) },
  )
  for (const row of table) {
    const [inside, rest] = split(rows, (r) => r.region, row.keys[0])
    const w = (rs) => ({ weights: rs.map((r) => r.weight) })
    const a = cx.nps(inside.map((r) => r.score), w(inside))
    close(row.estimate, a.estimate, `${row.group}: weighted estimate`)
    close(row.effectiveN, a.effectiveN, `${row.group}: Kish effective n`)
    close(row.lower, a.interval.lower, `${row.group}: weighted lower`)
    if (!row.tooSmall) checkZ(vsRest(row), a, cx.nps(rest.map((r) => r.score), w(rest)), row.group)
  }
})

test('npsBy equals combining per-group summaries: each row is nps of its subset, built in pieces', () => {
  const rng = prng(33)
  const rows = survey(4, 1500)
  const table = cx.npsBy(
    rows.map((r) => r.score),
    rows.map((r) => r.region),
    { minBase: 1 },
  )
  let n = 0
  let missing = 0
  for (const row of table) {
    const subset = rows.filter((r) => r.region === row.keys[0]).map((r) => r.score)
    // The subset's tally from random pieces, merged: the same summary a partitioned job builds.
    const merged = new cx.Tally()
    for (let start = 0; start < subset.length; ) {
      const end = Math.min(subset.length, start + rng.int(1, 200))
      const part = new cx.Tally()
      part.extend(subset.slice(start, end))
      merged.merge(part)
      start = end
    }
    const a = cx.nps(merged)
    assert.deepEqual([row.estimate, row.stdError, row.lower, row.upper, row.n, row.missing], [a.estimate, a.stdError, a.interval.lower, a.interval.upper, a.n, a.missing], row.group)
    n += row.n
    missing += row.missing
  }
  const all = cx.nps(rows.map((r) => r.score))
  assert.deepEqual([n, missing], [all.n, all.missing])
})

test('reference: each group minus the reference group, adjusted across the groups compared', () => {
  const rows = survey(5, 3000)
  const scores = rows.map((r) => r.score)
  const keys = rows.map((r) => r.region)
  for (const adjust of ['holm', 'bh']) {
    const table = cx.npsBy(scores, keys, { reference: 'North', adjust })
    const north = cx.nps(rows.filter((r) => r.region === 'North').map((r) => r.score))
    const raw = table.map((row) => {
      if (row.group === 'North' || row.tooSmall) {
        for (const k of ['diffVsReference', 'seVsReference', 'pVsReference', 'pAdjVsReference', 'significantVsReference']) {
          assert.equal(row[k], null, `${row.group}: ${k}`)
        }
        return null
      }
      const a = cx.nps(rows.filter((r) => r.region === row.keys[0]).map((r) => r.score))
      return checkZ({ diff: row.diffVsReference, se: row.seVsReference, p: row.pVsReference }, a, north, `${row.group} vs North`)
    })
    assert.equal(raw.filter((p) => p !== null).length, 3, 'South, East and West are compared')
    const expected = adjustedByHand(raw, adjust)
    table.forEach((row, i) => {
      if (expected[i] === null) return
      close(row.pAdjVsReference, expected[i], `${row.group}: ${adjust} vs reference`, P_TOL)
      assert.equal(row.significantVsReference, row.pAdjVsReference < 0.05)
    })
    // The comparison with the rest is unchanged by a reference.
    assert.deepEqual(
      table.map((r) => r.pAdjVsRest),
      cx.npsBy(scores, keys, { adjust }).map((r) => r.pAdjVsRest),
    )
  }
  // The missing key's group is named by null in the array form.
  const withMissing = cx.npsBy(scores, keys, { reference: [null], minBase: 1 })
  assert.equal(withMissing.at(-1).group, '(missing)')
  assert.equal(withMissing.at(-1).diffVsReference, null)
  assert.ok(withMissing[0].diffVsReference !== null)
})

test('missing keys: null, undefined and NaN form one group "(missing)", sorted last', () => {
  const scores = [10, 9, 3, 8, 7, 10, 0, 9]
  const keys = ['b', null, 'a', undefined, NaN, 'b', 'a', null]
  const table = cx.npsBy(scores, keys, { minBase: 1 })
  assert.deepEqual(
    table.map((r) => [r.group, r.keys, r.n]),
    [
      ['a', ['a'], 2],
      ['b', ['b'], 2],
      ['(missing)', [null], 4],
    ],
  )
  assert.equal(table[2].estimate, cx.nps([9, 8, 7, 9]).estimate)
})

test('key types: numbers sort numerically; a column mixing numbers and strings is a column of strings', () => {
  const scores = [10, 9, 3, 8, 7, 10, 0]
  const numeric = cx.npsBy(scores, [10, 9, 2, 10, 2, -1, null], { minBase: 1 })
  assert.deepEqual(
    numeric.map((r) => [r.group, r.keys]),
    [
      ['-1', [-1]],
      ['2', [2]],
      ['9', [9]],
      ['10', [10]],
      ['(missing)', [null]],
    ],
  )
  // 2 and "2" are one group, labelled and keyed "2"; strings sort by code point ("10" < "9").
  const mixed = cx.npsBy(scores, [2, '2', 'x', 10, 9, 'x', null], { minBase: 1 })
  assert.deepEqual(
    mixed.map((r) => [r.group, r.keys, r.n]),
    [
      ['10', ['10'], 1],
      ['2', ['2'], 2],
      ['9', ['9'], 1],
      ['x', ['x'], 2],
      ['(missing)', [null], 1],
    ],
  )
  assert.equal(mixed[1].estimate, cx.nps([10, 9]).estimate)
  // A reference is matched as text: 2 and "2" both name the group "2".
  assert.deepEqual(cx.npsBy(scores, [2, '2', 'x', 10, 9, 'x', null], { minBase: 1, reference: 2 }), cx.npsBy(scores, [2, '2', 'x', 10, 9, 'x', null], { minBase: 1, reference: '2' }))
  assert.deepEqual(cx.npsBy(scores, [10, 9, 2, 10, 2, -1, null], { minBase: 1, reference: '10' }), cx.npsBy(scores, [10, 9, 2, 10, 2, -1, null], { minBase: 1, reference: 10 }))
})

test('two key columns: the groups are the combinations present, each equal to nps on its subset', () => {
  const rows = survey(6, 3000)
  const scores = rows.map((r) => r.score)
  const region = rows.map((r) => r.region)
  const channel = rows.map((r) => r.channel)
  const table = cx.npsBy(scores, [region, channel], { reference: ['North', 'web'] })
  const present = new Set(rows.map((r) => `${r.region ?? '(missing)'} / ${r.channel}`))
  assert.equal(table.length, present.size)
  // Code-point order of each key, the missing key last.
  const cmp = (x, y) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1)
  const sorted = [...table].sort((x, y) => cmp(x.keys[0], y.keys[0]) || cmp(x.keys[1], y.keys[1]))
  assert.deepEqual(table.map((r) => r.group), sorted.map((r) => r.group), 'lexicographic order of the keys')
  const reference = cx.nps(rows.filter((r) => r.region === 'North' && r.channel === 'web').map((r) => r.score))
  for (const row of table) {
    assert.equal(row.group, `${row.keys[0] ?? '(missing)'} / ${row.keys[1]}`)
    const match = (r) => r.region === row.keys[0] && r.channel === row.keys[1]
    const a = cx.nps(rows.filter(match).map((r) => r.score))
    close(row.estimate, a.estimate, `${row.group}: estimate`)
    assert.equal(row.n, a.n)
    if (row.tooSmall) continue
    checkZ(vsRest(row), a, cx.nps(rows.filter((r) => !match(r)).map((r) => r.score)), `${row.group} vs rest`)
    if (row.group !== 'North / web') {
      checkZ({ diff: row.diffVsReference, se: row.seVsReference, p: row.pVsReference }, a, reference, `${row.group} vs North / web`)
    }
  }
})

test('csatBy, topBoxBy, bottomBoxBy: shares per group and z tests on the rest by hand', () => {
  const rng = prng(7)
  const rows = Array.from({ length: 2500 }, () => {
    const store = ['Paris', 'Lyon', 'Nice'][rng.int(0, 2)]
    const bias = { Paris: 1, Lyon: 0, Nice: -1 }[store]
    return { store, score: Math.max(1, Math.min(5, rng.int(1, 5) + (rng.next() < 0.3 ? bias : 0))) }
  })
  const scores = Int32Array.from(rows.map((r) => r.score))
  const keys = rows.map((r) => r.store)
  const calls = [
    ['csat', cx.csatBy(scores, keys), (v) => cx.csat(v)],
    ['topBox', cx.topBoxBy(scores, keys, { scale: 'csat', method: 'jeffreys' }), (v) => cx.topBox(v, { scale: 'csat', method: 'jeffreys' })],
    ['bottomBox', cx.bottomBoxBy(scores, keys, { scale: 'csat' }), (v) => cx.bottomBox(v, { scale: 'csat' })],
  ]
  for (const [name, table, one] of calls) {
    const raw = table.map((row) => {
      const [inside, rest] = split(rows, (r) => r.store, row.keys[0])
      const a = one(inside.map((r) => r.score))
      close(row.estimate, a.estimate, `${name} ${row.group}: share`)
      assert.ok(row.estimate >= 0 && row.estimate <= 1, 'a share, not a percentage')
      close(row.lower, a.interval.lower, `${name} ${row.group}: lower`)
      close(row.upper, a.interval.upper, `${name} ${row.group}: upper`)
      return checkZ(vsRest(row), a, one(rest.map((r) => r.score)), `${name} ${row.group}`)
    })
    const expected = holm(raw)
    table.forEach((row, i) => close(row.pAdjVsRest, expected[i], `${name} ${row.group}: Holm`, P_TOL))
  }
})

test("cesBy, meanBy: means per group and Welch's t on the rest, degrees of freedom by hand", () => {
  const rng = prng(8)
  const rows = Array.from({ length: 1200 }, () => {
    const tier = ['gold', 'silver', 'bronze', 'trial'][rng.int(0, 3)]
    const shift = { gold: 1, silver: 0, bronze: 0, trial: -1 }[tier]
    return { tier, score: Math.max(1, Math.min(7, rng.int(2, 6) + (rng.next() < 0.5 ? shift : 0))), weight: rng.int(1, 8) / 2 }
  })
  const scores = Float64Array.from(rows.map((r) => r.score))
  const keys = rows.map((r) => r.tier)
  const weights = Float64Array.from(rows.map((r) => r.weight))
  const calls = [
    ['ces', cx.cesBy(scores, keys), (rs) => cx.ces(rs.map((r) => r.score))],
    ['mean', cx.meanBy(scores, keys, { scale: 'ces', level: 0.9 }), (rs) => cx.mean(rs.map((r) => r.score), { scale: 'ces', level: 0.9 })],
    ['weighted ces', cx.cesBy(scores, keys, { weights }), (rs) => cx.ces(rs.map((r) => r.score), { weights: rs.map((r) => r.weight) })],
  ]
  for (const [name, table, one] of calls) {
    for (const row of table) {
      const [inside, rest] = split(rows, (r) => r.tier, row.keys[0])
      const a = one(inside)
      const b = one(rest)
      close(row.estimate, a.estimate, `${name} ${row.group}: mean`)
      close(row.lower, a.interval.lower, `${name} ${row.group}: lower`)
      const diff = a.estimate - b.estimate
      const se = Math.sqrt(a.stdError ** 2 + b.stdError ** 2)
      close(row.diffVsRest, diff, `${name} ${row.group}: difference`)
      close(row.seVsRest, se, `${name} ${row.group}: SE`)
      // Welch's degrees of freedom on the Kish effective sizes (the counts when unweighted)
      const df = welchDf(a.stdError, a.effectiveN, b.stdError, b.effectiveN)
      close(row.pVsRest, studentP(diff / se, df), `${name} ${row.group}: Welch p`, P_TOL)
      // The interval of the difference uses the t quantile of the same df: its half-width
      // over the SE is the t whose two-sided p is 1 - level.
      const tCrit = (row.upperVsRest - row.diffVsRest) / se
      close(studentP(tCrit, df), name === 'mean' ? 0.1 : 0.05, `${name} ${row.group}: t critical value`, P_TOL)
      assert.ok(tCrit > (name === 'mean' ? 1.6448536269514722 : Z95), 'wider than the normal interval')
    }
  }
})

test('small groups are reported and flagged, with null tests; empty and one-answer groups have no estimate', () => {
  const scores = [...Array(40).fill(9), ...Array(40).fill(3), 10, null, null, 5]
  const keys = [...Array(40).fill('big'), ...Array(40).fill('other'), 'tiny', 'empty', 'empty', 'one']
  const table = cx.meanBy(scores, keys, { scale: 'nps', minBase: 30 })
  const byGroup = Object.fromEntries(table.map((r) => [r.group, r]))
  assert.deepEqual([byGroup.empty.n, byGroup.empty.missing, byGroup.empty.estimate, byGroup.empty.lower], [0, 2, null, null])
  assert.deepEqual([byGroup.one.n, byGroup.one.estimate, byGroup.one.stdError], [1, null, null])
  for (const g of ['empty', 'one', 'tiny']) {
    assert.equal(byGroup[g].tooSmall, true)
    assert.deepEqual([byGroup[g].diffVsRest, byGroup[g].pVsRest, byGroup[g].pAdjVsRest, byGroup[g].significant], [null, null, null, null])
  }
  assert.equal(byGroup.big.tooSmall, false)
  assert.ok(byGroup.big.significant === true && byGroup.big.diffVsRest > 0)
})

test('without keys, all rows are one group: its row is nps of all scores, untested', () => {
  const rows = survey(16, 500)
  const scores = rows.map((r) => r.score)
  const [row, ...others] = cx.npsBy(scores, null)
  const all = cx.nps(scores)
  assert.deepEqual(others, [])
  assert.deepEqual([row.group, row.keys, row.n, row.missing, row.estimate, row.lower], ['', [], all.n, all.missing, all.estimate, all.interval.lower])
  assert.deepEqual([row.tooSmall, row.diffVsRest, row.significant], [false, null, null], 'no rest to compare with')
  assert.deepEqual(cx.npsBy(scores, undefined), cx.npsBy(scores, null))
  // The one group has no keys: its reference is the empty array.
  assert.equal(cx.npsBy(scores, null, { reference: [] })[0].diffVsReference, null)
})

test('every input type of scores gives the same table', () => {
  const rows = survey(9, 800)
  const keys = rows.map((r) => r.region)
  const complete = rows.map((r) => r.score ?? 5)
  const reference = cx.npsBy(complete, keys)
  for (const values of [Float64Array.from(complete), Float32Array.from(complete), Uint8Array.from(complete), Int32Array.from(complete)]) {
    assert.deepEqual(cx.npsBy(values, keys), reference, values.constructor.name)
  }
  const gaps = rows.map((r) => r.score)
  assert.deepEqual(cx.npsBy(Float64Array.from(gaps, (v) => (v === null ? NaN : v)), keys), cx.npsBy(gaps, keys))
})

// ---------------------------------------------------------------- trends

const DAY = 86400000

/** Rows over January to June 2026 with no answer in April, and a few missing dates. */
function monthly(seed, n) {
  const rng = prng(seed)
  const rows = []
  for (let i = 0; i < n; i++) {
    let month = rng.int(0, 5)
    if (month === 3) month = 4
    const ms = Date.UTC(2026, month, rng.int(1, 28), rng.int(0, 23), rng.int(0, 59), rng.int(0, 59), rng.int(0, 999))
    const drift = month >= 4 ? 2 : 0
    rows.push({
      ms: rng.next() < 0.02 ? null : ms,
      month,
      region: REGIONS[rng.int(0, 1)],
      score: rng.next() < 0.03 ? null : Math.min(10, rng.int(0, 10) + (rng.next() < 0.5 ? drift : 0)),
    })
  }
  return rows
}

const monthLabel = (m) => `2026-${String(m + 1).padStart(2, '0')}`

test('trend: every month from the first date to the last, each equal to nps on that month', () => {
  const rows = monthly(10, 3000)
  const table = cx.npsBy(
    rows.map((r) => r.score),
    null,
    { dates: rows.map((r) => r.ms) },
  )
  assert.deepEqual(
    table.map((r) => [r.group, r.keys, r.period, r.periodStart]),
    [0, 1, 2, 3, 4, 5].map((m) => ['', [], monthLabel(m), `${monthLabel(m)}-01`]),
  )
  const april = table[3]
  assert.deepEqual([april.n, april.missing, april.estimate, april.lower, april.tooSmall, april.change], [0, 0, null, null, true, null])
  const dated = rows.filter((r) => r.ms !== null)
  const raw = table.map((row, i) => {
    const inMonth = (k) => dated.filter((r) => r.month === k).map((r) => r.score)
    if (row.n === 0) return null
    const a = cx.nps(inMonth(i))
    assert.deepEqual([row.n, row.missing], [a.n, a.missing], row.period)
    close(row.estimate, a.estimate, `${row.period}: estimate`)
    close(row.lower, a.interval.lower, `${row.period}: lower`)
    close(row.upper, a.interval.upper, `${row.period}: upper`)
    if (i === 0 || table[i - 1].n < 30) {
      assert.deepEqual([row.change, row.seChange, row.pChange, row.pAdjChange, row.significantChange], [null, null, null, null, null])
      return null
    }
    return checkZ({ diff: row.change, se: row.seChange, p: row.pChange }, a, cx.nps(inMonth(i - 1)), `${row.period} vs previous`)
  })
  assert.equal(raw.filter((p) => p !== null).length, 3, 'Feb, Mar and Jun have a tested previous month')
  const expected = adjustedByHand(raw, 'holm')
  table.forEach((row, i) => {
    if (expected[i] === null) return
    close(row.pAdjChange, expected[i], `${row.period}: Holm over the changes`, P_TOL)
    assert.equal(row.significantChange, row.pAdjChange < 0.05)
  })
  // No window, no rolling columns.
  assert.ok(!('rollingEstimate' in table[0]))
  // Rows with a missing date are left out and counted, in a non-enumerable `excluded`.
  assert.equal(table.excluded, rows.filter((r) => r.ms === null).length)
  assert.ok(table.excluded > 0)
  assert.deepEqual(Object.keys(table), table.map((_, i) => String(i)))
  assert.equal(table.reduce((s, r) => s + r.n + r.missing, 0), dated.length)
})

test('trend: the rolling window equals nps on the concatenated scores of its periods', () => {
  const rows = monthly(11, 2000).filter((r) => r.ms !== null)
  const table = cx.npsBy(
    rows.map((r) => r.score),
    null,
    { dates: rows.map((r) => r.ms), window: 3, method: 'wald' },
  )
  table.forEach((row, i) => {
    if (i < 2) {
      assert.deepEqual([row.rollingEstimate, row.rollingLower, row.rollingUpper, row.rollingN], [null, null, null, null])
      return
    }
    const window = rows.filter((r) => r.month >= i - 2 && r.month <= i).map((r) => r.score)
    const a = cx.nps(window, { method: 'wald' })
    close(row.rollingEstimate, a.estimate, `${row.period}: rolling estimate`)
    close(row.rollingLower, a.interval.lower, `${row.period}: rolling lower`)
    close(row.rollingUpper, a.interval.upper, `${row.period}: rolling upper`)
    assert.equal(row.rollingN, a.n)
  })
  // A window of one period is the period itself.
  const one = cx.npsBy(rows.map((r) => r.score), null, { dates: rows.map((r) => r.ms), window: 1 })
  for (const row of one) assert.deepEqual([row.rollingEstimate, row.rollingN], [row.estimate, row.n])
})

test('trend by key: every group has every period, each equal to nps on the group and period', () => {
  const rows = monthly(12, 3000)
  const table = cx.npsBy(
    rows.map((r) => r.score),
    rows.map((r) => r.region),
    { dates: rows.map((r) => r.ms), minBase: 20 },
  )
  assert.deepEqual(
    table.map((r) => `${r.group} ${r.period}`),
    ['North', 'South'].flatMap((g) => [0, 1, 2, 3, 4, 5].map((m) => `${g} ${monthLabel(m)}`)),
  )
  for (const row of table) {
    const month = Number(row.period.slice(5)) - 1
    const subset = rows.filter((r) => r.ms !== null && r.region === row.keys[0] && r.month === month).map((r) => r.score)
    assert.equal(row.n + row.missing, subset.length, `${row.group} ${row.period}`)
    if (row.n === 0) continue
    close(row.estimate, cx.nps(subset).estimate, `${row.group} ${row.period}`)
  }
  // Each group's changes are adjusted as one family: the group alone gives the same rows.
  const north = rows.filter((r) => r.region === 'North')
  const alone = cx.npsBy(north.map((r) => r.score), null, { dates: north.map((r) => r.ms), minBase: 20 })
  const fromTable = table.filter((r) => r.group === 'North')
  // Alone, North's dates span the same six months.
  assert.deepEqual(
    fromTable.map(({ group, keys, ...rest }) => rest),
    alone.map(({ group, keys, ...rest }) => rest),
  )
  assert.equal(table.excluded, rows.filter((r) => r.ms === null).length)
})

/** `ms` as an ISO string in the time zone `minutes` east of UTC, e.g. 2026-03-05T15:30:00+05:30. */
function withOffset(ms, minutes) {
  const local = new Date(ms + minutes * 60000).toISOString().slice(0, 23)
  const a = Math.abs(minutes)
  return `${local}${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`
}

test('dates as Date objects, ISO strings (with offsets) and epoch milliseconds give the same table', () => {
  const rng = prng(13)
  const rows = monthly(13, 1500)
  const scores = rows.map((r) => r.score)
  const keys = rows.map((r) => r.region)
  const ms = rows.map((r) => r.ms)
  const forms = {
    Date: ms.map((m) => (m === null ? null : new Date(m))),
    'ISO Z': ms.map((m) => (m === null ? undefined : new Date(m).toISOString())),
    'ISO offset': ms.map((m) => (m === null ? '' : withOffset(m, [-600, -90, 0, 330, 840][rng.int(0, 4)]))),
    'epoch ms (fractional)': ms.map((m) => (m === null ? NaN : m + 0.25)),
  }
  forms['ISO offset'].forEach((s, i) => s && assert.equal(Date.parse(s), ms[i], s))
  for (const freq of ['day', 'week', 'month', 'quarter']) {
    const reference = cx.npsBy(scores, keys, { dates: ms, freq, window: 2 })
    for (const [form, dates] of Object.entries(forms)) {
      const table = cx.npsBy(scores, keys, { dates, freq, window: 2 })
      assert.deepEqual(table, reference, `${form}, ${freq}`)
      assert.equal(table.excluded, reference.excluded, `${form}: excluded`)
    }
  }
  // A date-only string is midnight UTC, as Date.parse reads it; an invalid Date is missing.
  const dates = ['2026-03-05', new Date('2026-03-05T00:00:00Z'), Date.UTC(2026, 2, 5, 23, 59), new Date('not a date')]
  const t = cx.npsBy([9, 10, 3, 9], null, { dates, freq: 'day', minBase: 1 })
  assert.deepEqual(t.map((r) => [r.period, r.n]), [['2026-03-05', 3]])
  assert.equal(t.excluded, 1)
})

test('ISO strings read as Date.parse reads them, to the day, for random instants and offsets', () => {
  const rng = prng(14)
  const strings = []
  for (let i = 0; i < 3000; i++) {
    const ms = Math.floor((rng.next() - 0.5) * 4e12) // 1906 to 2033
    const minutes = rng.int(-14 * 60, 14 * 60)
    const iso = new Date(ms).toISOString()
    strings.push(iso, iso.slice(0, 10), iso.slice(0, 16) + 'Z', iso.slice(0, 19) + 'Z', withOffset(ms, minutes))
  }
  const expected = new Map()
  for (const s of strings) {
    const day = new Date(Math.floor(Date.parse(s) / DAY) * DAY).toISOString().slice(0, 10)
    expected.set(day, (expected.get(day) ?? 0) + 1)
  }
  const table = cx.npsBy(strings.map(() => 9), null, { dates: strings, freq: 'day', minBase: 1 })
  const counted = table.filter((r) => r.n > 0).map((r) => [r.period, r.n])
  assert.deepEqual(counted, [...expected].sort(([a], [b]) => (a < b ? -1 : 1)))
})

/** The ISO 8601 week of a UTC date, written out: the year and week of its week's Thursday. */
function isoWeek(ms) {
  const d = new Date(ms)
  const weekday = (d.getUTCDay() + 6) % 7 // Monday 0
  const thursday = new Date(ms + (3 - weekday) * DAY)
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1)
  const week = Math.floor((thursday.getTime() - jan1) / DAY / 7) + 1
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

test('weekly labels are ISO weeks: 2021-01-03 is in 2020-W53, weeks start on Monday', () => {
  const t = cx.npsBy([9, 10, 3, 7], null, { dates: ['2020-12-28', '2021-01-03', '2021-01-04', '2021-01-10'], freq: 'W', minBase: 1 })
  assert.deepEqual(
    t.map((r) => [r.period, r.periodStart, r.n]),
    [
      ['2020-W53', '2020-12-28', 2],
      ['2021-W01', '2021-01-04', 2],
    ],
  )
  // One answer a day over years with 52 and 53 weeks: every week has its ISO label and Monday.
  const start = Date.UTC(2014, 11, 29) // a Monday
  const days = Array.from({ length: 7 * 470 }, (_, i) => start + i * DAY)
  const weeks = cx.npsBy(days.map(() => 8), null, { dates: days, freq: 'week', minBase: 1 })
  assert.equal(weeks.length, 470)
  weeks.forEach((row, i) => {
    const monday = start + i * 7 * DAY
    assert.equal(row.periodStart, new Date(monday).toISOString().slice(0, 10))
    assert.equal(row.period, isoWeek(monday + 3 * DAY))
    assert.equal(row.n, 7)
  })
  assert.ok(weeks.some((r) => r.period === '2015-W53') && weeks.some((r) => r.period === '2020-W53'))
})

test('day, quarter and year periods: labels, first days and the periods in between', () => {
  const dates = ['2025-11-30', '2026-02-01', '2026-08-15']
  const label = (freq) => cx.npsBy([9, 9, 9], null, { dates, freq, minBase: 1 }).map((r) => [r.period, r.periodStart, r.n])
  assert.deepEqual(label('Q'), [
    ['2025-Q4', '2025-10-01', 1],
    ['2026-Q1', '2026-01-01', 1],
    ['2026-Q2', '2026-04-01', 0],
    ['2026-Q3', '2026-07-01', 1],
  ])
  assert.deepEqual(label('year'), [
    ['2025', '2025-01-01', 1],
    ['2026', '2026-01-01', 2],
  ])
  const days = label('day')
  assert.equal(days.length, 259)
  assert.deepEqual(days[0], ['2025-11-30', '2025-11-30', 1])
  assert.deepEqual(days[1], ['2025-12-01', '2025-12-01', 0])
  assert.deepEqual(days.at(-1), ['2026-08-15', '2026-08-15', 1])
  assert.deepEqual(cx.npsBy([9, 9, 9], null, { dates, freq: 'month', minBase: 1 }), cx.npsBy([9, 9, 9], null, { dates, minBase: 1 }), 'month is the default')
})

test('trend of a mean: changes are Welch t tests, by hand', () => {
  const rng = prng(15)
  const rows = Array.from({ length: 900 }, () => {
    const q = rng.int(0, 2)
    return { date: `2026-${['01', '04', '07'][q]}-${String(rng.int(10, 28))}`, q, score: Math.min(7, rng.int(1, 6) + (q === 2 && rng.next() < 0.5 ? 1 : 0)) }
  })
  const table = cx.cesBy(rows.map((r) => r.score), null, { dates: rows.map((r) => r.date), freq: 'quarter' })
  assert.deepEqual(table.map((r) => r.period), ['2026-Q1', '2026-Q2', '2026-Q3'])
  for (let i = 1; i < 3; i++) {
    const a = cx.ces(rows.filter((r) => r.q === i).map((r) => r.score))
    const b = cx.ces(rows.filter((r) => r.q === i - 1).map((r) => r.score))
    const se = Math.sqrt(a.stdError ** 2 + b.stdError ** 2)
    close(table[i].change, a.estimate - b.estimate, `Q${i + 1}: change`)
    close(table[i].seChange, se, `Q${i + 1}: SE`)
    close(table[i].pChange, studentP((a.estimate - b.estimate) / se, welchDf(a.stdError, a.n, b.stdError, b.n)), `Q${i + 1}: Welch p`, P_TOL)
  }
})

test('empty input: an empty table; all dates missing: no periods, all excluded', () => {
  assert.deepEqual(cx.npsBy([], []), [])
  const none = cx.npsBy([9, 3], ['a', 'b'], { dates: [null, ''] })
  assert.deepEqual([none.length, none.excluded], [0, 2])
  const empty = cx.npsBy([], null, { dates: [] })
  assert.deepEqual([empty.length, empty.excluded], [0, 0])
  // Options are still checked without data.
  assert.throws(() => cx.npsBy([], null, { dates: [], window: 0 }), { code: 'CX_INVALID_ARGUMENT', argument: 'window' })
  assert.throws(() => cx.npsBy([], [], { alpha: 2 }), { code: 'CX_INVALID_ARGUMENT', argument: 'alpha' })
})

test('a table is plain data: JSON round trip, no excluded in the JSON', () => {
  const t = cx.npsBy([9, 3, 10], ['a', 'b', 'a'], { dates: ['2026-01-01', '2026-02-01', null], minBase: 1, window: 2 })
  const json = JSON.parse(JSON.stringify(t))
  assert.ok(Array.isArray(json))
  assert.deepEqual(json, [...t])
})
