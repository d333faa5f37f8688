// toVegaLite on the results of cxIndex, loyaltyCurve, keyDrivers, cohorts and retention (plain
// objects from the addon): each spec validates against the Vega-Lite JSON schema and carries the
// result's own numbers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as cx from '../index.js'
import { toVegaLite, kindOf } from '../vega-lite.js'
import { prng } from './helpers.mjs'

const require = createRequire(import.meta.url)
const Ajv = require('ajv')
const schemaFile = new URL('../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url)
const validate = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false }).compile(
  JSON.parse(readFileSync(schemaFile, 'utf8')),
)

function assertValid(spec) {
  assert.ok(validate(spec), `invalid Vega-Lite spec: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec)
}

/** Answers on three 1-5 dimensions, an NPS score and a 0/1 outcome driven by one quality. */
function survey(n = 1500) {
  const r = prng(5)
  const dims = { effectiveness: [], ease: [], emotion: [] }
  const scores = []
  const retained = []
  for (let i = 0; i < n; i++) {
    const q = r.int(-2, 2)
    dims.effectiveness.push(Math.min(5, Math.max(1, 3 + q + r.int(-1, 1))))
    dims.ease.push(Math.min(5, Math.max(1, 3 + q + r.int(-2, 1))))
    dims.emotion.push(Math.min(5, Math.max(1, 3 + r.int(-2, 2))))
    scores.push(Math.min(10, Math.max(0, 7 + 2 * q + r.int(-1, 1))))
    retained.push(r.int(0, 9) < 5 + q ? 1 : 0)
  }
  return { dims, scores, retained }
}

function txLog() {
  const r = prng(8)
  const customers = []
  const dates = []
  const revenue = []
  for (let c = 0; c < 120; c++) {
    const first = r.int(0, 6)
    for (let m = first; m < 10; m++) {
      if (m === first || r.int(0, 9) < 6) {
        customers.push(`c${c}`)
        dates.push(`2025-${String(m + 1).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`)
        revenue.push(r.int(5, 50))
      }
    }
  }
  return { customers, dates, revenue }
}

test('cxIndex result: every dimension and the index over the quality bands', () => {
  const { dims } = survey()
  const r = cx.cxIndex(dims)
  assert.equal(kindOf(r), 'cxIndex')
  const spec = toVegaLite(r)
  assertValid(spec)
  const bands = spec.layer[0].data.values
  assert.deepEqual(bands.map((b) => b.label), ['very poor', 'poor', 'okay', 'good', 'excellent'])
  assert.deepEqual([bands[0].low, bands[1].low, bands[4].high], [-100, 55, 100]) // net: -100..100
  const rows = spec.layer[1].data.values
  assert.deepEqual(rows.map((v) => v.dimension), ['effectiveness', 'ease', 'emotion', 'CX index'])
  assert.deepEqual(rows.map((v) => v.estimate), [...r.dimensions.map((d) => d.estimate), r.estimate])
  assert.deepEqual(rows.map((v) => v.lower), [...r.dimensions.map((d) => d.interval.lower), r.interval.lower])
  assert.deepEqual(rows.map((v) => v.n), [...r.dimensions.map((d) => d.n), r.n])
  assert.match(spec.title.text, new RegExp(`^CX index ${r.estimate.toFixed(1)} \\(${r.band}\\), weakest: ${r.weakest}$`))
  assert.match(spec.title.subtitle, new RegExp(`n = ${r.n.toLocaleString('en-US')}$`))
  const mean = toVegaLite(cx.cxIndex(dims, { method: 'mean' }), { bands: [20, 40, 60, 80] })
  assertValid(mean)
  assert.deepEqual(mean.layer[0].data.values.map((b) => [b.low, b.high]), [[0, 20], [20, 40], [40, 60], [60, 80], [80, 100]])
})

test('loyaltyCurve result: the rate per point with intervals and the overall rate', () => {
  const { scores, retained } = survey()
  const c = cx.loyaltyCurve(scores, retained)
  assert.equal(kindOf(c), 'loyaltyCurve')
  const spec = toVegaLite(c, { outcome: 'retained' })
  assertValid(spec)
  assert.equal(spec.data.values.length, 11)
  assert.deepEqual(spec.data.values.map((v) => v.rate), c.points.map((p) => p.estimate ?? null))
  assert.deepEqual(spec.data.values.map((v) => v.upper), c.points.map((p) => p.interval?.upper ?? null))
  assert.equal(spec.layer[2].data.values[0].overall, c.overall.estimate)
  const n = c.points.reduce((a, p) => a + p.n, 0)
  assert.equal(spec.title.subtitle, `n = ${n.toLocaleString('en-US')}`)
})

test('keyDrivers result: LMG shares by name, sorted bars, R² and n', () => {
  const { dims, retained } = survey()
  const kd = cx.keyDrivers([dims.effectiveness, dims.ease, dims.emotion], retained, { resamples: 100 })
  assert.equal(kindOf(kd), 'keyDrivers')
  const spec = toVegaLite(kd, { names: ['effectiveness', 'ease', 'emotion'] })
  assertValid(spec)
  assert.deepEqual(spec.data.values.map((v) => v.driver), ['effectiveness', 'ease', 'emotion'])
  assert.deepEqual(spec.data.values.map((v) => v.share), kd.drivers.map((d) => d.lmg.share))
  assert.deepEqual(spec.data.values.map((v) => v.lower), kd.drivers.map((d) => d.lmg.shareInterval.lower))
  assert.equal(spec.layer.length, 3) // bars, labels, interval rules
  assert.equal(spec.layer[0].encoding.y.sort, '-x') // largest first
  assert.equal(spec.title.subtitle, `R² = ${kd.rSquared.toFixed(3)}, n = ${kd.n.toLocaleString('en-US')}`)
  assert.deepEqual(toVegaLite(kd).data.values.map((v) => v.driver), ['driver 1', 'driver 2', 'driver 3'])
})

test('cohorts result: the retention triangle as a heatmap', () => {
  const { customers, dates, revenue } = txLog()
  const c = cx.cohorts(customers, dates, revenue)
  assert.equal(kindOf(c), 'cohortHeatmap')
  const spec = toVegaLite(c)
  assertValid(spec)
  const cells = c.customerRates.flat().filter((v) => v !== null)
  assert.equal(spec.data.values.length, cells.length)
  assert.deepEqual(spec.data.values.map((v) => v.rate), cells)
  assert.equal(spec.data.values[0].cohort, `${c.cohorts[0]} (${c.sizes[0]})`)
  const total = c.sizes.reduce((a, b) => a + b, 0)
  assert.match(spec.title.subtitle, new RegExp(`^n = ${total} customers`))
  const rev = toVegaLite(c, { values: 'revenueRates' })
  assertValid(rev)
  assert.deepEqual(rev.data.values.map((v) => v.rate), c.revenueRates.flat().filter((v) => v !== null))
  assert.throws(() => toVegaLite(c, { values: 'customers' }), /values must be/)
})

test('retention result: rates per period as lines', () => {
  const { customers, dates, revenue } = txLog()
  const r = cx.retention(customers, dates, revenue)
  assert.equal(kindOf(r), 'retention')
  const spec = toVegaLite(r)
  assertValid(spec)
  const retention = spec.data.values.filter((v) => v.rate === 'customer retention')
  assert.deepEqual(retention.map((v) => v.value), r.rows.map((x) => x.retentionRate).filter((x) => x !== null))
  assert.deepEqual([...new Set(spec.data.values.map((v) => v.rate))], ['customer retention', 'net revenue retention (NRR)', 'gross revenue retention (GRR)'])
  assert.equal(spec.title.subtitle, `n = ${r.customers} customers`)
  assert.throws(() => toVegaLite(r, { rates: ['nope'] }), /no rate/)
})

test('loyaltyLift result: both rates with their Wilson intervals, RR and RD in the title', () => {
  const { scores, retained } = survey()
  const lift = cx.loyaltyLift(retained, { scores })
  assert.equal(kindOf(lift), 'lift')
  const spec = toVegaLite(lift, { outcome: 'retention', labels: ['promoters', 'detractors'] })
  assertValid(spec)
  const [e, r] = spec.data.values
  assert.equal(e.rate, lift.exposed.estimate)
  assert.equal(e.lower, lift.exposed.interval.lower)
  assert.equal(r.upper, lift.reference.interval.upper)
  assert.ok(e.group.startsWith('promoters') && e.group.includes(lift.exposed.n.toLocaleString('en-US')))
  assert.ok(spec.title.text.includes(lift.riskRatio.estimate.toFixed(2)))
  assert.equal(spec.layer[0].encoding.x.axis.title, 'retention rate')
})
