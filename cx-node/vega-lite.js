'use strict'
// Vega-Lite specs for cxkit results: the charts of the Python package (`cxkit.plot`, the HTML
// report) as JSON that a dashboard renders with vega-embed. Plain JavaScript, no native code:
// `require('cxkit/vega-lite')` works wherever the results (plain objects) travel, a browser
// included. Validated against the Vega-Lite 6 JSON schema in __test__/vega-lite.test.mjs.

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'

const RED = '#d73027'
const GREEN = '#1a9850'
const PASSIVE = '#b8bec7'
const BLUE = '#2f6db5'
const GREY = '#9aa5b1'

/** Box thresholds of the preset scales, by their point range. */
const PRESETS = {
  nps: { lowest: 0, highest: 10, topBoxMin: 9, bottomBoxMax: 6 },
  csat: { lowest: 1, highest: 5, topBoxMin: 4, bottomBoxMax: 2 },
  ces: { lowest: 1, highest: 7, topBoxMin: 5, bottomBoxMax: 3 },
  agreement: { lowest: 1, highest: 5, topBoxMin: 4, bottomBoxMax: 2 },
}

/** How each metric's numbers read: axis title, d3 format, whether shares (0..1). */
const METRICS = {
  nps: { name: 'NPS', unit: 'points, -100 to 100', format: '+.1f', share: false },
  csat: { name: 'CSAT', unit: 'share satisfied', format: '.1%', share: true },
  share: { name: 'share', unit: 'share of answers', format: '.1%', share: true },
  ces: { name: 'CES', unit: 'mean answer', format: '.2f', share: false },
  mean: { name: 'mean', unit: 'mean answer', format: '.2f', share: false },
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US')
const level = (interval) => `${Math.round(100 * (interval?.level ?? 0.95))}% CI`
const signed = (x, d = 1) => (x >= 0 ? '+' : '') + x.toFixed(d)

function base(options, title, subtitle) {
  const spec = { $schema: SCHEMA, title: { text: options.title ?? title } }
  if (subtitle) spec.title.subtitle = subtitle
  spec.width = options.width ?? 480
  spec.config = { view: { stroke: null }, axis: { grid: true, gridColor: '#e3e7ec' } }
  return spec
}

function metricOf(options, rows) {
  if (options.metric) {
    const m = METRICS[options.metric]
    if (!m) throw new TypeError(`unknown metric ${JSON.stringify(options.metric)}: use nps, csat, share, ces or mean`)
    return m
  }
  const est = rows.map((r) => r.estimate).filter((x) => typeof x === 'number' && Number.isFinite(x))
  if (est.length && est.every((x) => x >= 0 && x <= 1)) return METRICS.share
  if (est.length && est.every((x) => x >= 0 && x <= 10)) return METRICS.mean
  return METRICS.nps
}

/** Detect what a result is from its fields (results are plain objects). */
function kindOf(result) {
  if (Array.isArray(result)) {
    const row = result.find((r) => r && typeof r === 'object')
    if (!row) throw new TypeError('toVegaLite: an empty table has no chart')
    if ('periodStart' in row) return 'trend'
    if ('diffVsRest' in row) return 'segments'
    if ('point' in row && 'rate' in row) return 'loyaltyCurve'
    if ('driver' in row && 'share' in row) return 'keyDrivers'
    if ('cohort' in row && 'period' in row && 'rate' in row) return 'cohortHeatmap'
    if ('dimension' in row && 'estimate' in row) return 'cxIndex'
    throw new TypeError(`toVegaLite: unknown table with fields ${Object.keys(row).join(', ')}`)
  }
  if (result && typeof result === 'object') {
    if ('promoters' in result && 'detractorShare' in result) return 'nps'
    if (Array.isArray(result.dimensions) && 'weakest' in result) return 'cxIndex'
    if (Array.isArray(result.points) && 'overall' in result && 'missingRating' in result) return 'loyaltyCurve'
    if (Array.isArray(result.drivers) && 'rSquared' in result) return 'keyDrivers'
    if (Array.isArray(result.customerRates) && Array.isArray(result.cohorts)) return 'cohortHeatmap'
    if (Array.isArray(result.rows) && 'lag' in result && 'customers' in result) return 'retention'
    if ('riskRatio' in result && 'exposed' in result && 'reference' in result) return 'lift'
    if (Array.isArray(result.points)) return 'distribution'
    if ('npsA' in result && 'pValue' in result) return 'npsDifference'
    if ('count' in result && 'interval' in result) return 'proportion'
    if ('stdDev' in result && 'interval' in result) return 'mean'
  }
  throw new TypeError('toVegaLite: not a cxkit result or table')
}

function nps(r, options) {
  const parts = [
    { category: 'detractors (0-6)', share: r.detractorShare, order: 0 },
    { category: 'passives (7-8)', share: r.passiveShare, order: 1 },
    { category: 'promoters (9-10)', share: r.promoterShare, order: 2 },
  ]
  const i = r.interval
  const spec = base(
    options,
    `NPS ${signed(r.estimate)} points (${level(i)} ${signed(i.lower)} to ${signed(i.upper)})`,
    `n = ${fmtInt(r.n)}`,
  )
  spec.height = options.height ?? 60
  spec.data = { values: parts }
  const x = { field: 'share', type: 'quantitative', stack: 'zero', scale: { domain: [0, 1] }, axis: { format: '%', title: 'share of answers' } }
  spec.encoding = { x, order: { field: 'order', type: 'ordinal' } }
  spec.layer = [
    {
      mark: { type: 'bar' },
      encoding: {
        color: {
          field: 'category',
          type: 'nominal',
          sort: parts.map((p) => p.category),
          scale: { domain: parts.map((p) => p.category), range: [RED, PASSIVE, GREEN] },
          legend: { orient: 'bottom', title: null },
        },
        tooltip: [
          { field: 'category', type: 'nominal' },
          { field: 'share', type: 'quantitative', format: '.1%' },
        ],
      },
    },
    {
      mark: { type: 'text', align: 'center', dx: 0, color: 'white', fontWeight: 'bold' },
      transform: [{ filter: 'datum.share >= 0.06' }],
      encoding: {
        x: { field: 'share', type: 'quantitative', stack: 'zero', bandPosition: 0.5 },
        text: { field: 'share', type: 'quantitative', format: '.0%' },
      },
    },
  ]
  return spec
}

function boxesOf(points, scale) {
  if (scale) {
    const s = typeof scale === 'string' ? PRESETS[scale] : scale
    if (!s) throw new TypeError(`unknown scale ${JSON.stringify(scale)}`)
    return s
  }
  const lo = Math.min(...points)
  const hi = Math.max(...points)
  return Object.values(PRESETS).find((s) => s.lowest === lo && s.highest === hi) ?? null
}

function distribution(d, options) {
  const points = d.points.map((p) => p.point)
  const boxes = boxesOf(points, options.scale)
  const lo = Math.min(...points)
  const hi = Math.max(...points)
  const npsLike = boxes && lo === 0 && hi === 10 && boxes.topBoxMin === 9 && boxes.bottomBoxMax === 6
  const names = npsLike ? ['detractors', 'passives', 'promoters'] : ['bottom box', 'middle', 'top box']
  let labels = ['all answers']
  let category = () => labels[0]
  let range = [BLUE]
  if (boxes) {
    const mid = boxes.topBoxMin - boxes.bottomBoxMax > 2 ? `${boxes.bottomBoxMax + 1}-${boxes.topBoxMin - 1}` : `${boxes.bottomBoxMax + 1}`
    labels = [`${names[0]} (${lo}-${boxes.bottomBoxMax})`, `${names[1]} (${mid})`, `${names[2]} (${boxes.topBoxMin}-${hi})`]
    category = (p) => (p <= boxes.bottomBoxMax ? labels[0] : p >= boxes.topBoxMin ? labels[2] : labels[1])
    range = [RED, PASSIVE, GREEN]
  }
  const spec = base(options, 'Distribution of answers', `n = ${fmtInt(d.n)}`)
  spec.height = options.height ?? 240
  spec.data = { values: d.points.map((p) => ({ point: p.point, share: p.share, count: p.count, category: category(p.point) })) }
  spec.encoding = {
    x: { field: 'point', type: 'ordinal', sort: points, axis: { title: `answer (${lo}-${hi})`, labelAngle: 0 } },
    y: { field: 'share', type: 'quantitative', axis: { format: '%', title: 'share of answers' } },
  }
  spec.layer = [
    {
      mark: { type: 'bar' },
      encoding: {
        color: { field: 'category', type: 'nominal', sort: labels, scale: { domain: labels, range }, legend: { orient: 'top', title: null } },
        tooltip: [
          { field: 'point', type: 'ordinal' },
          { field: 'count', type: 'quantitative', format: ',' },
          { field: 'share', type: 'quantitative', format: '.1%' },
        ],
      },
    },
    { mark: { type: 'text', dy: -6, fontSize: 10, color: '#6b7785' }, encoding: { text: { field: 'share', type: 'quantitative', format: '.0%' } } },
  ]
  return spec
}

function intervalSpec(options, row, m, title, xTitle, domain) {
  const spec = base(options, title, `n = ${fmtInt(row.n)}`)
  spec.height = options.height ?? 50
  spec.data = { values: [row] }
  const scale = domain ? { domain, zero: false } : { zero: false }
  spec.layer = [
    {
      mark: { type: 'rule', strokeWidth: 2, color: BLUE },
      encoding: {
        x: { field: 'lower', type: 'quantitative', scale, axis: { format: m.format, title: xTitle } },
        x2: { field: 'upper' },
        y: { field: 'label', type: 'nominal', axis: { title: null } },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 80, color: BLUE },
      encoding: {
        x: { field: 'estimate', type: 'quantitative', scale },
        y: { field: 'label', type: 'nominal' },
        tooltip: [
          { field: 'estimate', type: 'quantitative', format: m.format },
          { field: 'lower', type: 'quantitative', format: m.format },
          { field: 'upper', type: 'quantitative', format: m.format },
          { field: 'n', type: 'quantitative', format: ',' },
        ],
      },
    },
  ]
  return spec
}

function proportion(r, options) {
  const i = r.interval
  const row = { label: options.label ?? 'share', estimate: r.estimate, lower: i.lower, upper: i.upper, n: r.n }
  const title = `${(100 * r.estimate).toFixed(1)}% (${level(i)} ${(100 * i.lower).toFixed(1)}% to ${(100 * i.upper).toFixed(1)}%)`
  return intervalSpec(options, row, METRICS.share, title, 'share of answers', [0, 1])
}

function mean(r, options) {
  const i = r.interval
  const row = { label: options.label ?? 'mean', estimate: r.estimate, lower: i.lower, upper: i.upper, n: r.n }
  const s = typeof options.scale === 'string' ? PRESETS[options.scale] : options.scale
  const title = `Mean ${r.estimate.toFixed(2)} (${level(i)} ${i.lower.toFixed(2)} to ${i.upper.toFixed(2)})`
  return intervalSpec(options, row, METRICS.mean, title, s ? `mean answer (${s.lowest}-${s.highest})` : 'mean answer', s ? [s.lowest, s.highest] : null)
}

function npsDifference(r, options) {
  const i = r.interval
  const row = { label: options.label ?? 'a - b', estimate: r.estimate, lower: i.lower, upper: i.upper, n: r.nA + r.nB }
  const title = `NPS a - b: ${signed(r.estimate)} points (${level(i)} ${signed(i.lower)} to ${signed(i.upper)}), p = ${r.pValue.toPrecision(3)}`
  const spec = intervalSpec(options, row, METRICS.nps, title, 'NPS difference (points)', null)
  spec.title.subtitle = `n = ${fmtInt(r.nA)} vs ${fmtInt(r.nB)}`
  spec.layer.unshift({ mark: { type: 'rule', strokeDash: [4, 3], color: GREY }, encoding: { x: { datum: 0, type: 'quantitative' } } })
  return spec
}

const MARKS = ['significantly above', 'significantly below', 'not significant', 'too few answers (untested)']

function segmentMark(r) {
  if (r.tooSmall) return MARKS[3]
  if (r.significant) return r.diffVsRest > 0 ? MARKS[0] : MARKS[1]
  return MARKS[2]
}

function segments(rows, options) {
  const m = metricOf(options, rows)
  const values = rows
    .filter((r) => r.estimate !== null && r.estimate !== undefined)
    .map((r) => ({
      group: r.group === '' ? 'all' : r.group,
      estimate: r.estimate,
      lower: r.lower,
      upper: r.upper,
      n: r.n,
      diffVsRest: r.diffVsRest,
      pAdjVsRest: r.pAdjVsRest,
      mark: segmentMark(r),
    }))
  const total = rows.reduce((a, r) => a + r.n, 0)
  const spec = base(options, `${m.name} by group`, `n = ${fmtInt(total)}`)
  spec.height = { step: 26 }
  spec.data = { values }
  const lvl = `${Math.round(100 * (options.level ?? 0.95))}% CI`
  const y = { field: 'group', type: 'nominal', sort: { field: 'estimate', order: 'descending' }, axis: { title: null } }
  const color = { field: 'mark', type: 'nominal', scale: { domain: MARKS, range: [GREEN, RED, BLUE, GREY] }, legend: { orient: 'bottom', title: null } }
  spec.layer = [
    {
      mark: { type: 'rule', strokeWidth: 2 },
      encoding: { y, x: { field: 'lower', type: 'quantitative', scale: { zero: false }, axis: { format: m.format, title: `${m.name} (${m.unit}) with ${lvl}` } }, x2: { field: 'upper' }, color },
    },
    {
      mark: { type: 'point', size: 70, strokeWidth: 2, filled: true },
      encoding: {
        y,
        x: { field: 'estimate', type: 'quantitative' },
        color,
        tooltip: [
          { field: 'group', type: 'nominal' },
          { field: 'estimate', type: 'quantitative', format: m.format },
          { field: 'lower', type: 'quantitative', format: m.format },
          { field: 'upper', type: 'quantitative', format: m.format },
          { field: 'n', type: 'quantitative', format: ',' },
          { field: 'diffVsRest', type: 'quantitative', format: m.format, title: 'vs rest' },
          { field: 'pAdjVsRest', type: 'quantitative', format: '.3f', title: 'adjusted p' },
        ],
      },
    },
  ]
  if (typeof options.overall === 'number') {
    spec.layer.push({ mark: { type: 'rule', strokeDash: [4, 3], color: GREY }, encoding: { x: { datum: options.overall, type: 'quantitative' } } })
  }
  return spec
}

function trend(rows, options) {
  const m = metricOf(options, rows)
  const values = rows.map((r) => ({
    group: r.group === '' ? m.name : r.group,
    period: r.period,
    periodStart: r.periodStart,
    estimate: r.estimate,
    lower: r.lower,
    upper: r.upper,
    n: r.n,
    rollingEstimate: r.rollingEstimate ?? null,
  }))
  const total = rows.reduce((a, r) => a + r.n, 0)
  const groups = new Set(values.map((v) => v.group))
  const spec = base(options, `${m.name} over time`, `n = ${fmtInt(total)}`)
  spec.height = options.height ?? 240
  spec.data = { values }
  const x = { field: 'periodStart', type: 'temporal', axis: { title: 'period' } }
  const lvl = `${Math.round(100 * (options.level ?? 0.95))}% CI`
  const color = groups.size > 1 ? { field: 'group', type: 'nominal', legend: { orient: 'top', title: null } } : { value: BLUE }
  spec.layer = [
    {
      mark: { type: 'area', opacity: 0.18 },
      transform: [{ filter: 'isValid(datum.lower) && isValid(datum.upper)' }],
      encoding: { x, y: { field: 'lower', type: 'quantitative', scale: { zero: false }, axis: { format: m.format, title: `${m.name} (${m.unit}), band: ${lvl}` } }, y2: { field: 'upper' }, color },
    },
    {
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { field: 'estimate', type: 'quantitative' },
        color,
        tooltip: [
          { field: 'group', type: 'nominal' },
          { field: 'period', type: 'nominal' },
          { field: 'estimate', type: 'quantitative', format: m.format },
          { field: 'lower', type: 'quantitative', format: m.format },
          { field: 'upper', type: 'quantitative', format: m.format },
          { field: 'n', type: 'quantitative', format: ',' },
        ],
      },
    },
  ]
  if (values.some((v) => v.rollingEstimate !== null)) {
    spec.layer.push({
      mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 },
      transform: [{ filter: 'isValid(datum.rollingEstimate)' }],
      encoding: { x, y: { field: 'rollingEstimate', type: 'quantitative' }, color: groups.size > 1 ? color : { value: '#1f2933' } },
    })
  }
  return spec
}

/** The rows of a loyalty curve: a `loyaltyCurve()` result's points, or plain rows. */
function curveRows(input) {
  if (Array.isArray(input)) return input
  return input.points.map((p) => ({
    point: p.point,
    rate: p.estimate ?? null,
    lower: p.interval?.lower ?? null,
    upper: p.interval?.upper ?? null,
    n: p.n,
  }))
}

function loyaltyCurve(input, options) {
  const rows = curveRows(input)
  const outcome = options.outcome ?? 'outcome'
  const total = rows.reduce((a, r) => a + (r.n ?? 0), 0)
  const spec = base(options, `${outcome} rate by answer`, total ? `n = ${fmtInt(total)}` : undefined)
  spec.height = options.height ?? 240
  spec.data = { values: rows.map((r) => ({ point: r.point, rate: r.rate, lower: r.lower, upper: r.upper, n: r.n ?? null })) }
  const x = { field: 'point', type: 'ordinal', axis: { title: 'answer (scale point)', labelAngle: 0 } }
  spec.layer = [
    { mark: { type: 'rule', color: BLUE }, encoding: { x, y: { field: 'lower', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%', title: `${outcome} rate` } }, y2: { field: 'upper' } } },
    { mark: { type: 'line', point: true, color: BLUE }, encoding: { x, y: { field: 'rate', type: 'quantitative' }, tooltip: [{ field: 'point' }, { field: 'rate', type: 'quantitative', format: '.1%' }, { field: 'n', type: 'quantitative' }] } },
  ]
  if (!Array.isArray(input) && typeof input.overall?.estimate === 'number') {
    // the rate over every respondent, as a dashed reference line
    spec.layer.push({
      data: { values: [{ overall: input.overall.estimate, label: `all respondents ${(100 * input.overall.estimate).toFixed(1)}%` }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: GREY },
      encoding: { y: { field: 'overall', type: 'quantitative' }, tooltip: [{ field: 'label', type: 'nominal' }] },
    })
  }
  return spec
}

/** The rows of key drivers: a `keyDrivers()` result's LMG shares (named by `options.names`), or plain rows. */
function driverRows(input, options) {
  if (Array.isArray(input)) return input
  return input.drivers.map((d) => ({
    driver: options.names?.[d.index] ?? `driver ${d.index + 1}`,
    share: d.lmg.share,
    lower: d.lmg.shareInterval?.lower ?? null,
    upper: d.lmg.shareInterval?.upper ?? null,
  }))
}

function keyDrivers(input, options) {
  const rows = driverRows(input, options)
  const model = Array.isArray(input) ? undefined : `R² = ${input.rSquared.toFixed(3)}, n = ${fmtInt(input.n)}`
  const spec = base(options, 'Key drivers', model)
  spec.height = { step: 24 }
  spec.data = { values: rows.map((r) => ({ driver: r.driver, share: r.share, lower: r.lower ?? null, upper: r.upper ?? null })) }
  const y = { field: 'driver', type: 'nominal', sort: '-x', axis: { title: null } }
  const xTitle = options.xTitle ?? (Array.isArray(input) ? 'share of importance' : 'share of R² (LMG)')
  spec.layer = [
    { mark: { type: 'bar', color: BLUE }, encoding: { y, x: { field: 'share', type: 'quantitative', axis: { format: '%', title: xTitle } } } },
    { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y, x: { field: 'share', type: 'quantitative' }, text: { field: 'share', type: 'quantitative', format: '.1%' } } },
  ]
  if (rows.some((r) => typeof r.lower === 'number')) {
    spec.layer.push({ mark: { type: 'rule' }, encoding: { y, x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } })
  }
  return spec
}

/** The cells of a cohort table: a `cohorts()` result (customer or revenue rates), or plain rows. */
function cohortRows(input, options) {
  if (Array.isArray(input)) return input
  const field = options.values ?? 'customerRates'
  if (field !== 'customerRates' && field !== 'revenueRates') {
    throw new TypeError(`toVegaLite: values must be 'customerRates' or 'revenueRates', not ${JSON.stringify(field)}`)
  }
  const rows = []
  input[field].forEach((cells, c) => {
    cells.forEach((rate, k) => {
      if (rate !== null && rate !== undefined) rows.push({ cohort: `${input.cohorts[c]} (${fmtInt(input.sizes[c])})`, period: k, rate })
    })
  })
  return rows
}

function cohortHeatmap(input, options) {
  const rows = cohortRows(input, options)
  const fallback = Array.isArray(input) || options.values !== 'revenueRates' ? 'Retention by cohort' : 'Revenue retention by cohort'
  const subtitle = Array.isArray(input) ? undefined : `n = ${fmtInt(input.sizes.reduce((a, b) => a + b, 0))} customers, per ${input.freq}`
  const spec = base(options, options.value ? `${options.value} by cohort` : fallback, subtitle)
  spec.height = { step: 22 }
  spec.data = { values: rows.map((r) => ({ cohort: String(r.cohort), period: r.period, rate: r.rate })) }
  // x and y shared by both layers, so that the text sits in the middle of each band (cell)
  spec.encoding = {
    x: { field: 'period', type: 'ordinal', axis: { title: 'periods since acquisition', labelAngle: 0, grid: false } },
    y: { field: 'cohort', type: 'ordinal', sort: null, axis: { title: 'cohort', grid: false } },
  }
  spec.layer = [
    { mark: { type: 'rect' }, encoding: { color: { field: 'rate', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] }, legend: { format: '%', title: 'rate' } } } },
    { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'rate', type: 'quantitative', format: '.0%' }, color: { condition: { test: 'datum.rate > 0.6', value: 'white' }, value: 'black' } } },
  ]
  return spec
}

/** The CX index's default band cut-offs (cx_core::Bands) and band names. */
const DEFAULT_BANDS = [55, 65, 75, 85]
const BAND_NAMES = ['very poor', 'poor', 'okay', 'good', 'excellent']

/** Five [label, low, high] bands from four cut-offs over low..high. */
function bandRanges(cutoffs, low, high) {
  const edges = [low, ...cutoffs, high]
  return BAND_NAMES.map((name, i) => [name, edges[i], edges[i + 1]])
}

function cxIndex(input, options) {
  const given = options.bands ?? []
  const cutoffs = given.length > 0 && given.every((b) => typeof b === 'number')
  let rows = input
  let title = 'CX index by dimension'
  let subtitle
  let low = -100
  let unit = options.unit ?? 'index points'
  if (!Array.isArray(input)) {
    // a cxIndex() result: its dimensions and the index itself, over bands from its method's range
    const r = input
    rows = [
      ...r.dimensions.map((d) => ({ dimension: d.name, estimate: d.estimate, lower: d.interval.lower, upper: d.interval.upper, n: d.n })),
      { dimension: 'CX index', estimate: r.estimate, lower: r.interval.lower, upper: r.interval.upper, n: r.n },
    ]
    low = r.method === 'net' ? -100 : 0
    unit = options.unit ?? `${r.method} score, index points`
    title = `CX index ${r.estimate.toFixed(1)} (${r.band}), weakest: ${r.weakest}`
    subtitle = `${level(r.interval)} ${r.interval.lower.toFixed(1)} to ${r.interval.upper.toFixed(1)}, n = ${fmtInt(r.n)}`
  }
  let bands = given
  if (cutoffs) bands = bandRanges(given, low, 100)
  else if (!given.length && !Array.isArray(input)) bands = bandRanges(DEFAULT_BANDS, low, 100)
  const spec = base(options, title, subtitle)
  spec.height = { step: 28 }
  const y = { field: 'dimension', type: 'nominal', sort: null, axis: { title: null } }
  const domain = bands.length ? [Math.min(...bands.map((b) => b[1])), Math.max(...bands.map((b) => b[2]))] : undefined
  const scale = domain ? { domain } : { zero: false }
  const lvl = `${Math.round(100 * (options.level ?? 0.95))}% CI`
  spec.layer = []
  if (bands.length) {
    spec.layer.push({
      data: { values: bands.map(([label, low, high]) => ({ label, low, high })) },
      mark: { type: 'rect', opacity: 0.35 },
      encoding: { x: { field: 'low', type: 'quantitative', scale }, x2: { field: 'high' }, color: { field: 'label', type: 'ordinal', sort: null, scale: { scheme: 'redyellowgreen' }, legend: { orient: 'top', title: null } } },
    })
  }
  spec.layer.push(
    {
      data: { values: rows.map((r) => ({ dimension: r.dimension, estimate: r.estimate, lower: r.lower, upper: r.upper, n: r.n ?? null })) },
      mark: { type: 'rule', strokeWidth: 2, color: BLUE },
      encoding: { y, x: { field: 'lower', type: 'quantitative', scale, axis: { title: `CX index (${unit}) with ${lvl}` } }, x2: { field: 'upper' } },
    },
    {
      data: { values: rows.map((r) => ({ dimension: r.dimension, estimate: r.estimate })) },
      mark: { type: 'point', filled: true, size: 70, color: BLUE },
      encoding: { y, x: { field: 'estimate', type: 'quantitative', scale } },
    },
  )
  return spec
}

const RATE_NAMES = {
  retentionRate: 'customer retention',
  churnRate: 'churn',
  nrr: 'net revenue retention (NRR)',
  grr: 'gross revenue retention (GRR)',
  newRevenueShare: 'revenue from new customers',
  existingRevenueShare: 'revenue from existing customers',
}

function retention(r, options) {
  const rates = options.rates ?? ['retentionRate', 'nrr', 'grr']
  const values = []
  for (const row of r.rows) {
    for (const rate of rates) {
      if (!(rate in row)) throw new TypeError(`toVegaLite: no rate ${JSON.stringify(rate)} in the retention rows`)
      if (row[rate] !== null && row[rate] !== undefined) values.push({ period: row.period, rate: RATE_NAMES[rate] ?? rate, value: row[rate] })
    }
  }
  const spec = base(options, `Retention by ${r.freq}`, `n = ${fmtInt(r.customers)} customers${r.lag > 1 ? `; NRR/GRR vs ${r.lag} periods earlier` : ''}`)
  spec.height = options.height ?? 240
  spec.data = { values }
  spec.mark = { type: 'line', point: true }
  spec.encoding = {
    x: { field: 'period', type: 'ordinal', sort: null, axis: { title: r.freq, labelAngle: -45 } },
    y: { field: 'value', type: 'quantitative', axis: { format: '%', title: 'rate (of the base period)' } },
    color: { field: 'rate', type: 'nominal', sort: null, legend: { orient: 'top', title: null } },
    tooltip: [
      { field: 'period', type: 'nominal' },
      { field: 'rate', type: 'nominal' },
      { field: 'value', type: 'quantitative', format: '.1%' },
    ],
  }
  return spec
}

/** Loyalty lift: both groups' outcome rates as dots with Wilson whiskers; RR and RD in the title. */
function lift(r, options) {
  const [a, b] = options.labels ?? ['exposed', 'reference']
  const outcome = options.outcome ?? 'outcome'
  const rr = r.riskRatio
  const rd = r.riskDifference
  const spec = base(
    options,
    `Risk ratio ${rr.estimate.toFixed(2)} (${level(rr.interval)} ${rr.interval.lower.toFixed(2)} to ${rr.interval.upper.toFixed(2)})`,
    `difference ${signed(100 * rd.estimate)} points (${signed(100 * rd.interval.lower)} to ${signed(100 * rd.interval.upper)}), p = ${rd.pValue.toPrecision(3)}`,
  )
  spec.height = options.height ?? 90
  spec.data = {
    values: [
      { group: `${a} (n = ${fmtInt(r.exposed.n)})`, rate: r.exposed.estimate, lower: r.exposed.interval.lower, upper: r.exposed.interval.upper, n: r.exposed.n, color: GREEN },
      { group: `${b} (n = ${fmtInt(r.reference.n)})`, rate: r.reference.estimate, lower: r.reference.interval.lower, upper: r.reference.interval.upper, n: r.reference.n, color: RED },
    ],
  }
  const y = { field: 'group', type: 'nominal', sort: null, axis: { title: null } }
  const color = { field: 'color', type: 'nominal', scale: null }
  spec.layer = [
    { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: { field: 'lower', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%', title: `${outcome} rate` } }, x2: { field: 'upper' }, color } },
    { mark: { type: 'point', filled: true, size: 90 }, encoding: { y, x: { field: 'rate', type: 'quantitative' }, color, tooltip: [{ field: 'group' }, { field: 'rate', type: 'quantitative', format: '.1%' }, { field: 'lower', type: 'quantitative', format: '.1%' }, { field: 'upper', type: 'quantitative', format: '.1%' }] } },
  ]
  return spec
}

const BUILDERS = { nps, distribution, proportion, mean, npsDifference, segments, trend, loyaltyCurve, keyDrivers, cohortHeatmap, cxIndex, retention, lift }

/**
 * A Vega-Lite spec (a plain JSON object) for a cxkit result or table: the same charts as the
 * Python package. `options.kind` forces the chart kind; otherwise it is read off the fields.
 */
function toVegaLite(result, options = {}) {
  const kind = options.kind ?? kindOf(result)
  const build = BUILDERS[kind]
  if (!build) throw new TypeError(`toVegaLite: unknown kind ${JSON.stringify(kind)}: one of ${Object.keys(BUILDERS).join(', ')}`)
  return build(result, options ?? {})
}

module.exports = { toVegaLite, kindOf }
