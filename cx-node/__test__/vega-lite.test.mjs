// toVegaLite: every spec validates against the Vega-Lite JSON schema (shipped by the pinned
// vega-lite devDependency, read from node_modules: nothing is downloaded), and carries the
// data, marks and labels of its chart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as cx from '../index.js'
import { toVegaLite, kindOf } from '../vega-lite.js'
import { prng } from './helpers.mjs'

const require = createRequire(import.meta.url)
const Ajv = require('ajv')
// vega-lite's exports map hides build/, so the schema is read by its path in node_modules
const schemaFile = new URL('../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url)
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'))
const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false, allErrors: false })
const validate = ajv.compile(schema)

function assertValid(spec) {
  const ok = validate(spec)
  assert.ok(ok, `invalid Vega-Lite spec: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
  // JSON round trip: plain data only, nothing a dashboard could not receive
  assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec)
  assert.match(spec.$schema, /vega-lite\/v6\.json$/)
}

/** A survey with region effects and a date per answer. */
function survey(n = 3000) {
  const r = prng(11)
  const regions = ['North', 'South', 'East', 'West']
  const scores = []
  const keys = []
  const dates = []
  for (let i = 0; i < n; i++) {
    const g = r.int(0, 3)
    const shift = g === 3 ? 2 : g === 1 ? -2 : 0
    scores.push(Math.min(10, Math.max(0, r.int(0, 10) + shift)))
    keys.push(regions[g])
    dates.push(`2025-${String(r.int(1, 12)).padStart(2, '0')}-15`)
  }
  return { scores, keys, dates }
}

test('the schema validator rejects a broken spec', () => {
  assert.equal(validate({ mark: 'bars', encoding: { x: { field: 'a', type: 'quantity' } } }), false)
})

test('nps: a stacked detractor / passive / promoter bar', () => {
  const r = cx.nps([10, 10, 10, 10, 10, 7, 7, 7, 0, 0])
  const spec = toVegaLite(r)
  assertValid(spec)
  assert.equal(kindOf(r), 'nps')
  assert.deepEqual(spec.data.values.map((v) => v.share), [r.detractorShare, r.passiveShare, r.promoterShare])
  assert.deepEqual(spec.layer[0].encoding.color.scale.range, ['#d73027', '#b8bec7', '#1a9850'])
  assert.match(spec.title.text, /^NPS \+30\.0 points \(95% CI /)
  assert.equal(spec.title.subtitle, 'n = 10')
  assert.equal(spec.encoding.x.axis.title, 'share of answers')
})

test('distribution: one bar per point coloured by category', () => {
  const d = cx.distribution([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], { scale: 'nps' })
  const spec = toVegaLite(d)
  assertValid(spec)
  assert.equal(spec.data.values.length, 11)
  const cats = spec.data.values.map((v) => v.category)
  assert.deepEqual(cats, [...Array(7).fill('detractors (0-6)'), 'passives (7-8)', 'passives (7-8)', 'promoters (9-10)', 'promoters (9-10)'])
  assert.equal(spec.encoding.x.axis.title, 'answer (0-10)')
  const csat = toVegaLite(cx.distribution([1, 2, 3, 4, 5], { scale: 'csat' }))
  assertValid(csat)
  assert.deepEqual([...new Set(csat.data.values.map((v) => v.category))], ['bottom box (1-2)', 'middle (3)', 'top box (4-5)'])
  const plain = toVegaLite(cx.distribution([1, 2, 3], { scale: { lowest: 1, highest: 3 } }))
  assertValid(plain)
  assert.deepEqual([...new Set(plain.data.values.map((v) => v.category))], ['all answers'])
})

test('proportion, mean and npsDifference: a dot with its interval', () => {
  for (const [r, kind] of [
    [cx.csat([5, 4, 4, 3, 1, 5]), 'proportion'],
    [cx.ces([7, 6, 5, 2, 4]), 'mean'],
    [cx.npsDifference([10, 9, 10, 0, 10, 10], [3, 9, 6, 7, 0, 10]), 'npsDifference'],
  ]) {
    assert.equal(kindOf(r), kind)
    const spec = toVegaLite(r, { scale: 'ces' })
    assertValid(spec)
    assert.equal(spec.data.values.length, 1)
    assert.equal(spec.data.values[0].estimate, r.estimate)
    assert.equal(spec.data.values[0].lower, r.interval.lower)
    assert.match(spec.title.subtitle, /^n = /)
  }
})

test('segments: dots with whiskers, sorted, significant groups coloured', () => {
  const { scores, keys } = survey()
  const rows = cx.npsBy(scores, keys)
  const spec = toVegaLite(rows, { overall: cx.nps(scores).estimate })
  assertValid(spec)
  assert.equal(kindOf(rows), 'segments')
  assert.equal(spec.data.values.length, 4)
  const byGroup = Object.fromEntries(spec.data.values.map((v) => [v.group, v.mark]))
  assert.equal(byGroup.West, 'significantly above')
  assert.equal(byGroup.South, 'significantly below')
  assert.deepEqual(spec.layer[1].encoding.y.sort, { field: 'estimate', order: 'descending' })
  assert.equal(spec.layer.length, 3) // whiskers, dots, the overall line
  assert.equal(spec.layer[0].encoding.x.axis.title, 'NPS (points, -100 to 100) with 95% CI')
  const total = rows.reduce((a, r) => a + r.n, 0)
  assert.equal(spec.title.subtitle, `n = ${total.toLocaleString('en-US')}`)

  const small = cx.csatBy(scores.map((s) => 1 + Math.floor(s / 2.75)), keys, { minBase: 100000 })
  const s2 = toVegaLite(small, { metric: 'csat' })
  assertValid(s2)
  assert.ok(s2.data.values.every((v) => v.mark === 'too few answers (untested)'))
  assert.equal(s2.layer[0].encoding.x.axis.format, '.1%')
})

test('trend: a line with an interval band, rolling window dashed', () => {
  const { scores, keys, dates } = survey()
  const rows = cx.npsBy(scores, null, { dates, freq: 'quarter', window: 2 })
  const spec = toVegaLite(rows)
  assertValid(spec)
  assert.equal(kindOf(rows), 'trend')
  assert.equal(spec.data.values.length, rows.length)
  assert.deepEqual(spec.layer.map((l) => l.mark.type), ['area', 'line', 'line'])
  assert.deepEqual(spec.layer[2].mark.strokeDash, [6, 4])
  const grouped = toVegaLite(cx.npsBy(scores, keys, { dates, freq: 'quarter' }))
  assertValid(grouped)
  assert.equal(grouped.layer.length, 2)
  assert.equal(grouped.layer[1].encoding.color.field, 'group')
  assert.equal(new Set(grouped.data.values.map((v) => v.group)).size, 4)
})

test('loyalty curve, key drivers, cohort heatmap and CX index from plain rows', () => {
  const curve = Array.from({ length: 11 }, (_, p) => ({ point: p, rate: 0.4 + 0.05 * p, lower: 0.35 + 0.05 * p, upper: 0.45 + 0.05 * p, n: 50 }))
  const drivers = [
    { driver: 'ease', share: 0.3 },
    { driver: 'effectiveness', share: 0.5, lower: 0.4, upper: 0.6 },
    { driver: 'emotion', share: 0.2 },
  ]
  const cohorts = []
  for (let c = 0; c < 4; c++) for (let p = 0; p < 4 - c; p++) cohorts.push({ cohort: `2025-0${c + 1}`, period: p, rate: 1 - 0.1 * p })
  const index = [
    { dimension: 'effectiveness', estimate: 72, lower: 70, upper: 74 },
    { dimension: 'CX index', estimate: 69, lower: 68, upper: 70, n: 900 },
  ]
  const bands = [['poor', 0, 60], ['okay', 60, 70], ['good', 70, 100]]
  const cases = [
    [curve, 'loyaltyCurve', { outcome: 'retained' }, 11],
    [drivers, 'keyDrivers', {}, 3],
    [cohorts, 'cohortHeatmap', {}, 10],
    [index, 'cxIndex', { bands }, null],
  ]
  for (const [rows, kind, options, count] of cases) {
    assert.equal(kindOf(rows), kind)
    const spec = toVegaLite(rows, options)
    assertValid(spec)
    if (count !== null) assert.equal(spec.data.values.length, count)
  }
  const cx3 = toVegaLite(index, { bands })
  assert.equal(cx3.layer[0].data.values.length, 3)
  assert.deepEqual(cx3.layer[1].encoding.x.scale.domain, [0, 100])
  assert.equal(toVegaLite(curve, { outcome: 'retained' }).layer[0].encoding.y.axis.title, 'retained rate')
})

test('options and errors', () => {
  const r = cx.nps([9, 10, 0])
  const spec = toVegaLite(r, { title: 'Mine', width: 300 })
  assert.equal(spec.title.text, 'Mine')
  assert.equal(spec.width, 300)
  assert.throws(() => toVegaLite({ foo: 1 }), TypeError)
  assert.throws(() => toVegaLite([]), /empty table/)
  assert.throws(() => toVegaLite([{ x: 1 }]), /unknown table/)
  assert.throws(() => toVegaLite(r, { kind: 'pie' }), /unknown kind/)
  assert.throws(() => toVegaLite(cx.npsBy([9, 10], ['a', 'b'], { minBase: 1 }), { metric: 'stars' }), /unknown metric/)
  assert.throws(() => toVegaLite(cx.distribution([1, 2], { scale: 'csat' }), { scale: 'stars' }), /unknown scale/)
})
