// Typed usage of `cxkit/vega-lite`, checked by `tsc --noEmit -p tsconfig.json` (not executed).
import { nps, npsBy, distribution } from '../index.js'
import { toVegaLite, kindOf, type VegaLiteSpec, type ChartKind } from '../vega-lite.js'

const scores = [10, 9, 7, 3, 0]
const a: VegaLiteSpec = toVegaLite(nps(scores))
const b: VegaLiteSpec = toVegaLite(distribution(scores, { scale: 'nps' }), { scale: 'nps', width: 300 })
const c: VegaLiteSpec = toVegaLite(npsBy(scores, ['x', 'y', 'x', 'y', 'x']), { metric: 'nps', overall: 10 })
const d: VegaLiteSpec = toVegaLite(npsBy(scores, null, { dates: ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01'] }))
const e: VegaLiteSpec = toVegaLite([{ point: 0, rate: 0.5, lower: 0.4, upper: 0.6 }], { outcome: 'retained' })
const f: VegaLiteSpec = toVegaLite([{ dimension: 'ease', estimate: 70, lower: 68, upper: 72 }], { bands: [['good', 60, 80]] })
const kind: ChartKind = kindOf([{ driver: 'ease', share: 0.4 }])
const schema: string = a.$schema

// @ts-expect-error: not a cxkit result
toVegaLite({ foo: 1 })
// @ts-expect-error: unknown chart kind
toVegaLite(nps(scores), { kind: 'pie' })
// @ts-expect-error: unknown metric
toVegaLite(nps(scores), { metric: 'stars' })

export { a, b, c, d, e, f, kind, schema }

// results of the addon chart directly
import { cxIndex, loyaltyCurve, keyDrivers, cohorts, retention } from '../index.js'
const g: VegaLiteSpec = toVegaLite(cxIndex({ a: [1, 5, 4], b: [2, 5, 3] }), { bands: [55, 65, 75, 85] })
const h: VegaLiteSpec = toVegaLite(loyaltyCurve(scores, [1, 0, 1, 1, 0]), { outcome: 'retained' })
const i: VegaLiteSpec = toVegaLite(keyDrivers([[1, 2, 3, 4], [2, 1, 4, 3]], [1, 2, 4, 4]), { names: ['ease', 'emotion'] })
const j: VegaLiteSpec = toVegaLite(cohorts(['a', 'b'], ['2025-01-01', '2025-02-01'], [1, 2]), { values: 'revenueRates' })
const k: VegaLiteSpec = toVegaLite(retention(['a', 'b'], ['2025-01-01', '2025-02-01'], [1, 2]), { rates: ['retentionRate', 'nrr'] })
// @ts-expect-error: not a field of a retention row
toVegaLite(retention(['a'], ['2025-01-01'], [1]), { rates: ['nope'] })

export { g, h, i, j, k }

import { loyaltyLift } from '../index.js'
const l: VegaLiteSpec = toVegaLite(loyaltyLift([1, 0, 1, 1, 0], { scores }), { labels: ['promoters', 'detractors'], outcome: 'retained' })
export { l }
