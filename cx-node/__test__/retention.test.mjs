// retention, cohorts and rfm against brute-force recomputation from the raw rows (written out
// here from the definitions), plus the bad-input errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import * as cx from '../index.js'
import { prng, close } from './helpers.mjs'

const DAY = 86_400_000
const START = Date.UTC(2025, 0, 1)

/** A random log: 30 customers (string ids), dates over 14 months, revenue with refunds. */
function log(seed, n) {
  const rng = prng(seed)
  const rows = []
  for (let i = 0; i < n; i++) {
    rows.push({
      customer: `c${rng.int(0, 29)}`,
      day: rng.int(0, 420),
      revenue: rng.int(-15, 90),
    })
  }
  return rows
}

const monthOf = (day) => {
  const d = new Date(START + day * DAY)
  return d.getUTCFullYear() * 12 + d.getUTCMonth()
}

/** customer -> month code -> { rev, buy } and the number of months. */
function cells(rows) {
  const lo = Math.min(...rows.map((r) => monthOf(r.day)))
  const hi = Math.max(...rows.map((r) => monthOf(r.day)))
  const m = new Map()
  for (const r of rows) {
    if (!m.has(r.customer)) m.set(r.customer, new Map())
    const p = monthOf(r.day) - lo
    const c = m.get(r.customer).get(p) ?? { rev: 0, buy: false }
    c.rev += r.revenue
    c.buy ||= r.revenue >= 0
    m.get(r.customer).set(p, c)
  }
  return [m, hi - lo + 1]
}

const args = (rows) => [
  rows.map((r) => r.customer),
  rows.map((r) => new Date(START + r.day * DAY).toISOString().slice(0, 10)),
  rows.map((r) => r.revenue),
]

test('retention rows equal the definitions recomputed from the rows', () => {
  for (const seed of [1, 2, 3]) {
    const rows = log(seed, 500)
    const lag = seed
    const t = cx.retention(...args(rows), { lag })
    const [m, n] = cells(rows)
    assert.equal(t.rows.length, n)
    const act = (c, p) => m.get(c).get(p)?.buy ?? false
    const rev = (c, p) => m.get(c).get(p)?.rev ?? 0
    const first = (c) => [...m.get(c).entries()].filter(([, x]) => x.buy).map(([p]) => p).sort((a, b) => a - b)[0]
    const ids = [...m.keys()]
    for (let p = 0; p < n; p++) {
      const row = t.rows[p]
      const active = ids.filter((c) => act(c, p))
      const isNew = active.filter((c) => first(c) === p)
      const retained = active.filter((c) => p > 0 && act(c, p - 1))
      const churned = ids.filter((c) => p > 0 && act(c, p - 1) && !act(c, p))
      assert.equal(row.active, active.length)
      assert.equal(row.new, isNew.length)
      assert.equal(row.retained, retained.length)
      assert.equal(row.reactivated, active.length - isNew.length - retained.length)
      assert.equal(row.churned, churned.length)
      const sum = (cs, q) => cs.reduce((s, c) => s + rev(c, q), 0)
      close(row.revenue, sum(ids, p), 'revenue')
      close(row.newRevenue, sum(isNew, p), 'new revenue')
      close(row.retainedRevenue, sum(retained, p), 'retained revenue')
      if (p === 0) assert.equal(row.retentionRate, null)
      else {
        const prev = ids.filter((c) => act(c, p - 1)).length
        close(row.retentionRate, retained.length / prev, 'retention rate')
        close(row.churnedRevenue, sum(churned, p - 1), 'churned revenue')
      }
      if (p < lag) assert.equal(row.nrr, null)
      else {
        const b = p - lag
        const base = ids.filter((c) => act(c, b) && rev(c, b) > 0)
        const den = sum(base, b)
        close(row.nrr, sum(base, p) / den, 'nrr')
        close(row.grr, base.reduce((s, c) => s + Math.min(rev(c, p), rev(c, b)), 0) / den, 'grr')
      }
    }
  }
})

test('cohort triangle equals the definitions', () => {
  const rows = log(9, 400)
  const c = cx.cohorts(...args(rows), { freq: 'month' })
  const [m, n] = cells(rows)
  const first = (id) => [...m.get(id).entries()].filter(([, x]) => x.buy).map(([p]) => p).sort((a, b) => a - b)[0]
  for (let c0 = 0; c0 < n; c0++) {
    const members = [...m.keys()].filter((id) => first(id) === c0)
    assert.equal(c.sizes[c0], members.length)
    for (let k = 0; k < n; k++) {
      if (c0 + k >= n) {
        assert.equal(c.customers[c0][k], null)
        continue
      }
      assert.equal(c.customers[c0][k], members.filter((id) => m.get(id).get(c0 + k)?.buy).length)
    }
  }
  assert.equal(c.averageRetention[0], 1)
})

test('rfm equals lifetimes conventions recomputed by hand', () => {
  const rows = log(4, 300)
  const r = cx.rfm(...args(rows), { unitDays: 7 })
  const end = Math.max(...rows.map((x) => x.day))
  const by = new Map()
  for (const x of rows) by.set(x.customer, [...(by.get(x.customer) ?? []), x])
  let i = 0
  for (const id of [...by.keys()].sort()) {
    const list = by.get(id)
    const buys = [...new Set(list.filter((x) => x.revenue >= 0).map((x) => x.day))].sort((a, b) => a - b)
    if (buys.length === 0) continue
    assert.equal(r.customers[i], id)
    const f = buys.length - 1
    assert.equal(r.frequency[i], f)
    close(r.recency[i], (buys.at(-1) - buys[0]) / 7, 'recency')
    close(r.T[i], (end - buys[0]) / 7, 'T')
    const after = list.filter((x) => x.day > buys[0]).reduce((s, x) => s + x.revenue, 0)
    close(r.monetaryValue[i], f ? after / f : 0, 'monetary value')
    i++
  }
  assert.equal(i, r.customers.length)
})

test('integer ids, Float64Array revenue, Date objects and missing values', () => {
  const t = cx.retention(
    [1, 2, 1, null, 3],
    [new Date(Date.UTC(2026, 0, 5)), '2026-01-09', '2026-02-02', '2026-02-03', null],
    new Float64Array([10, 4, 12, 1, 1]),
    { acquisitionSpend: [100, 60], retentionSpend: [0, 12] },
  )
  assert.equal(t.missing, 2)
  assert.equal(t.customers, 2)
  const feb = t.rows[1]
  assert.deepEqual([feb.active, feb.retained, feb.churned, feb.costPerRetained], [1, 1, 1, 12])
  assert.equal(feb.costPerAcquired, null) // no new customer in February
  const r = cx.rfm([5, 5], ['2026-01-01', '2026-01-11'], [1, 2], { observationEnd: '2026-01-31' })
  assert.deepEqual([r.customers, r.frequency, r.recency, r.T, r.monetaryValue], [[5], [1], [10], [30], [2]])
})

test('the demo log', () => {
  const text = readFileSync(new URL('../../examples/data/transactions.csv', import.meta.url), 'utf8')
  const lines = text.trim().split('\n').slice(1).map((l) => l.split(','))
  const t = cx.retention(lines.map((l) => l[0]), lines.map((l) => l[1]), lines.map((l) => Number(l[2])))
  assert.equal(t.rows.length, 24)
  assert.equal(t.customers, 12000)
})

test('bad transaction input is a clear error', () => {
  const throws = (fn, code, re) =>
    assert.throws(fn, (e) => e.code === code && re.test(e.message), `${code} ${re}`)
  throws(() => cx.retention(['a'], ['2026-13-45'], [1]), 'CX_INVALID_ARGUMENT', /dates/)
  throws(() => cx.retention(['a', 'b'], ['2026-01-01'], [1, 2]), 'CX_LENGTH_MISMATCH', /customers has 2 elements but dates has 1/)
  throws(
    () => cx.retention(['a', 'a'], ['2026-01-01', '2026-02-01'], [1, 1], { acquisitionSpend: [1, 2, 3] }),
    'CX_LENGTH_MISMATCH',
    /acquisitionSpend has 3/,
  )
  throws(() => cx.retention(['a'], ['2026-01-01'], [1], { retentionSpend: [-1] }), 'CX_INVALID_ARGUMENT', /retentionSpend/)
  throws(() => cx.retention(['a'], ['2026-01-01'], [1], { lag: 0 }), 'CX_INVALID_ARGUMENT', /lag/)
  throws(() => cx.cohorts(['a'], ['2026-01-01'], [1], { freq: 'fortnight' }), 'CX_INVALID_ARGUMENT', /freq/)
  throws(() => cx.rfm(['a'], ['2026-01-01'], [Infinity]), 'CX_INVALID_ARGUMENT', /revenue/)
  throws(() => cx.rfm(['a'], ['2026-01-01'], [-3]), 'CX_EMPTY_INPUT', /no customer with a purchase/)
  throws(() => cx.retention([null], ['2026-01-01'], [1]), 'CX_EMPTY_INPUT', /no transaction/)
})

test('acquisition by channel equals the definitions', () => {
  const rows = log(21, 300)
  const rng = prng(5)
  const channels = rows.map(() => ['ads', 'store', 'web'][rng.int(0, 2)])
  const [ids, dates, revenue] = args(rows)
  const t = cx.acquisition(ids, dates, revenue, channels)
  assert.deepEqual(t.channels, ['ads', 'store', 'web'])
  const [m, n] = cells(rows)
  const lo = Math.min(...rows.map((r) => monthOf(r.day)))
  // first purchase: earliest day, then first channel in sorted order
  const first = new Map()
  rows.forEach((r, i) => {
    if (r.revenue < 0) return
    const cur = first.get(r.customer)
    if (!cur || r.day < cur.day || (r.day === cur.day && channels[i] < cur.channel)) first.set(r.customer, { day: r.day, channel: channels[i] })
  })
  for (let p = 0; p < n; p++) {
    ;['ads', 'store', 'web'].forEach((ch, k) => {
      const row = t.rows[p * 3 + k]
      assert.equal(row.channel, ch)
      const members = [...first.entries()].filter(([, f]) => monthOf(f.day) - lo === p && f.channel === ch).map(([id]) => id)
      assert.equal(row.new, members.length)
      close(row.newRevenue, members.reduce((s, id) => s + (m.get(id).get(p)?.rev ?? 0), 0), 'new revenue')
      if (p + 1 < n) assert.equal(row.retainedNext, members.filter((id) => m.get(id).get(p + 1)?.buy).length)
    })
  }
  assert.throws(() => cx.acquisition(['a'], ['2026-01-01'], [1], ['x', 'y']), (e) => e.code === 'CX_LENGTH_MISMATCH')
})

test('Activity: summaries of parts merge into the summary of the whole', () => {
  for (const seed of [31, 32, 33]) {
    const rows = log(seed, 400)
    const rng = prng(seed)
    const channels = rows.map(() => ['ads', 'web'][rng.int(0, 1)])
    const [ids, dates, revenue] = args(rows)
    const split = 150 + seed
    const part = (lo, hi) =>
      cx.Activity.fromLog(ids.slice(lo, hi), dates.slice(lo, hi), revenue.slice(lo, hi), { channels: channels.slice(lo, hi) })
    const merged = part(0, split).merge(part(split, rows.length))
    assert.deepEqual(merged.retention({ lag: 2 }), cx.retention(ids, dates, revenue, { lag: 2 }))
    assert.deepEqual(merged.cohorts(), cx.cohorts(ids, dates, revenue))
    assert.deepEqual(merged.acquisition(), cx.acquisition(ids, dates, revenue, channels))
    const copy = cx.Activity.fromJSON(merged.toJSON())
    assert.deepEqual(copy.retention(), merged.retention())
    assert.equal(copy.freq, 'month')
  }
  const weekly = cx.Activity.fromLog(['a'], ['2026-01-01'], [1], { freq: 'week' })
  const monthly = cx.Activity.fromLog(['a'], ['2026-01-01'], [1])
  assert.throws(() => weekly.merge(monthly), (e) => e.code === 'CX_INVALID_ARGUMENT')
  assert.throws(() => monthly.acquisition(), (e) => e.code === 'CX_INVALID_ARGUMENT')
  assert.throws(() => cx.Activity.fromJSON('{}'), (e) => e.code === 'CX_UNREADABLE_SUMMARY')
})
