// Typed usage of every function and of the Tally class, checked against the generated
// index.d.ts by `tsc --noEmit -p tsconfig.json` (not executed). `@ts-expect-error` lines
// check that the types reject what the API rejects.
import {
  JointTally,
  type Lift,
  KeyedTally,
  Tally,
  keyDrivers,
  loyaltyCurve,
  loyaltyLift,
  meanLift,
  revenueImpact,
  CxSummary,
  cxIndex,
  cxIndexBy,
  type CxDimension,
  type CxIndex,
  type CxIndexByOptions,
  type CxIndexOptions,
  type CxRowExtras,
  Activity,
  acquisition,
  assignPersonas,
  customerView,
  personas,
  cohorts,
  customerEquity,
  fitBgnbd,
  fitGammaGamma,
  fitSbg,
  marginMultiplier,
  responseCurve,
  retention,
  rfm,
  bottomBox,
  bottomBoxBy,
  ces,
  cesBy,
  csat,
  csatBy,
  distribution,
  mean,
  meanBy,
  nps,
  npsBy,
  npsDifference,
  topBox,
  topBoxBy,
  type DateValues,
  type Distribution,
  type GroupKeys,
  type KeyColumn,
  type KeyedSegmentsOptions,
  type KeyedTallyJson,
  type KeyedTallyOptions,
  type CesByOptions,
  type NpsByOptions,
  type CsatByOptions,
  type SegmentRow,
  type TrendRow,
  type Interval,
  type Mean,
  type Nps,
  type NpsDifference,
  type NpsOptions,
  type PointShare,
  type Proportion,
  type RawValues,
  type Scale,
  type ScaleSpec,
  type TallyJson,
  type Values,
} from 'cxkit'

const answers: Array<number | null | undefined> = [10, 9, null, 7, 3, undefined, NaN]
const weights = [1, 0.5, 2, 1, 1, 1, 1]
const custom: ScaleSpec = { lowest: 1, highest: 10, topBoxMin: 9 }

const score: Nps = nps(answers, { weights, level: 0.9, method: 'score' })
const points: number = score.estimate + score.stdError + score.interval.lower + score.interval.upper
const split: number = score.promoterShare + score.passiveShare + score.detractorShare
const counts: number = score.promoters + score.passives + score.detractors + score.n + score.effectiveN + score.missing
const boot: Nps = nps(new Float64Array([9, 10, 3]), { method: 'bootstrap', resamples: 5000, seed: 42 })
const options: NpsOptions = { scale: custom, method: 'adjusted-wald' }
nps(Uint8Array.from([9, 10]), options)
nps(new Int32Array([1, 2]))
nps(new Float32Array([1, NaN]), null)

const diff: NpsDifference = npsDifference([9, 10, 3], new Uint8Array([1, 9]), {
  weightsA: [1, 1, 2],
  weightsB: new Float64Array([1, 3]),
  scale: 'nps',
  level: 0.99,
})
const test: number = diff.z + diff.pValue + diff.npsA + diff.npsB + diff.nA + diff.nB + diff.estimate + diff.stdError

const shares: Proportion[] = [
  topBox([5, 4, 1], { scale: 'csat', method: 'clopper-pearson' }),
  bottomBox([5, 4, 1], { scale: { lowest: 1, highest: 5, bottomBoxMax: 1 }, method: 'jeffreys' }),
  csat([5, 4, 1], { weights: new Float64Array([1, 2, 3]), method: 'agresti-coull', level: 0.8 }),
  csat(Int32Array.from([5, 4]), { method: 'wilson' }),
  topBox([1, 2], { scale: 'agreement', method: 'wald' }),
]
const share: number = shares[0].estimate + shares[0].count + shares[0].stdError + shares[0].effectiveN

const means: Mean[] = [mean([1, 7], { scale: 'ces', level: 0.9 }), ces([7, 6, 5], { weights: [1, 1, 2] })]
const spread: number = means[0].stdDev + means[1].stdError

const dist: Distribution = distribution([1, 2, 2], { scale: 'csat', weights: [1, 1, 1] })
const first: PointShare = dist.points[0]
const row: number = first.point + first.count + first.weight + first.share + dist.n + dist.effectiveN + dist.missing

const interval: Interval = score.interval
const method: 'wald' | 'adjusted-wald' | 'score' | 'bootstrap' | 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'jeffreys' | 'student-t' | 'katz-log' | 'woolf-logit' | 'newcombe-hybrid' | 'delta-log' =
  interval.method

// Tally: streaming, merging, serialising.
const t = new Tally()
const c = new Tally('csat')
const s = new Tally({ lowest: -3, highest: 3, topBoxMin: 2, bottomBoxMax: -2 })
t.push(9)
t.push(null)
t.push(7, 2.5)
t.extend([9, 10, null])
t.extend(new Uint8Array([1, 2]), new Float64Array([1, 1]))
t.merge(new Tally('nps'))
const json: TallyJson = t.toJSON()
const again: Tally = Tally.fromJSON(JSON.stringify(t))
const fromObject: Tally = Tally.fromJSON(json)
const bytes: Buffer = t.toBytes()
const fromBytes: Tally = Tally.fromBytes(bytes)
Tally.fromBytes(new Uint8Array(bytes))
const scale: Scale = t.scale
const stats: number[] = [...t.counts, ...t.weights, ...t.weightsSq, t.missing, t.n, t.totalWeight, t.effectiveN]
const text: string = t.toString()
const fromTally: Nps = nps(t)
const tallies: Values[] = [t, c, s, again, fromObject, fromBytes]
const raw: RawValues = [1, null]
mean(s)
distribution(c)
npsDifference(t, again)

// Segment and trend tables: the return type follows from whether `dates` are given.
const region: KeyColumn = ['North', 'South', null, 3, undefined, NaN, 'East']
const keys: GroupKeys = [region, ['web', 'app', 'web', 'app', 'web', 'app', 'web']]
const segments: SegmentRow[] = npsBy(answers, region)
const cell: SegmentRow = npsBy(answers, keys, { reference: ['North', 'web'], adjust: 'bh', alpha: 0.1, minBase: 10, method: 'wald' })[0]
const groupKeys: Array<string | number | null> = cell.keys
const estimate: number | null = cell.estimate
const versus: Array<number | null> = [cell.diffVsRest, cell.seVsRest, cell.lowerVsRest, cell.upperVsRest, cell.pVsRest, cell.pAdjVsRest]
const flags: Array<boolean | null> = [cell.significant, cell.significantVsReference ?? null]
const reference: number | null | undefined = cell.diffVsReference
const dates: DateValues = [new Date(), '2026-03-05', '2026-03-05T10:00:00Z', 1772668800000, null, undefined, NaN]
const trend = npsBy(answers, null, { dates, freq: 'W', window: 3 })
const excluded: number = trend.excluded
const period: TrendRow = trend[0]
const labels: string = period.group + period.period + period.periodStart
const change: Array<number | null | undefined> = [period.change, period.pAdjChange, period.rollingEstimate, period.rollingN]
const trendRows: TrendRow[] = csatBy(answers, keys, { dates: ['2026-01-01'], method: 'jeffreys' })
const declared: NpsByOptions = { minBase: 5 }
const either: SegmentRow[] | (TrendRow[] & { readonly excluded: number }) = npsBy(answers, region, declared)
const shareOptions: CsatByOptions = { scale: 'csat', method: 'wilson' }
const meanOptions: CesByOptions = { level: 0.9, weights: new Float64Array(7) }
topBoxBy(Uint8Array.from([5, 4]), ['a', 'b'], { scale: 'csat', ...shareOptions })
bottomBoxBy(Int32Array.from([1, 2]), [1, 2], { scale: { lowest: 1, highest: 5 } })
cesBy(Float32Array.from([7, 6]), ['a', 'b'], meanOptions)
meanBy([7, 6], ['a', 'b'], { scale: 'ces', dates: [0, 1] }).excluded

// KeyedTally: answers pushed into their group, merged by label, the segment table at the end.
const live = new KeyedTally('nps', ['region', 'channel'])
live.push(9, ['North', 'web'])
live.push(null, ['North', null])
live.push(3, [null, 'app'], 0.5)
const byRegion = new KeyedTally()
byRegion.push(10, 'North')
byRegion.push(7, 2)
byRegion.push(undefined, null)
const built: KeyedTally = KeyedTally.fromValues(answers, keys, { names: ['region', 'channel'], weights })
const keyedOptions: KeyedTallyOptions = { scale: 'csat' }
KeyedTally.fromValues(new Uint8Array([1, 2]), null, keyedOptions)
live.merge(KeyedTally.fromBytes(built.toBytes()))
const keyedJson: KeyedTallyJson = live.toJSON()
const firstGroup: Array<string | number | null> = keyedJson.groups[0][0]
live.merge(KeyedTally.fromJSON(keyedJson))
live.merge(KeyedTally.fromJSON(JSON.stringify(built)))
const liveKeys: Array<Array<string | number | null>> = live.keys()
const groupTally: Tally | null = live.tally(['North', 'web'])
const liveTotal: Nps = nps(live.total())
const liveShape: number = live.size + live.scale.lowest + live.names.length
const segmentOptions: KeyedSegmentsOptions = { reference: ['North', 'web'], adjust: 'bh', minBase: 1 }
const liveRows: SegmentRow[] = live.segments('nps', segmentOptions)
built.segments()
built.segments('topBox', { method: 'wilson' })
built.segments('mean', { level: 0.9 })
const described: string = live.toString()
// @ts-expect-error: the metric names are camelCase
built.segments('top_box')
// @ts-expect-error: a key is a string, a number or missing
live.push(9, { region: 'North' })
// @ts-expect-error: merge takes a KeyedTally
live.merge(t)

// @ts-expect-error: a segment table has no excluded count
npsBy(answers, region).excluded
// @ts-expect-error: topBoxBy needs a scale
topBoxBy([5], ['a'], {})
// @ts-expect-error: unknown adjustment
npsBy(answers, region, { adjust: 'bonferroni' })
// @ts-expect-error: unknown period
npsBy(answers, null, { dates: [0], freq: 'fortnight' })
// @ts-expect-error: box shares have no NPS methods
csatBy(answers, region, { method: 'score' })
// @ts-expect-error: means have no method
cesBy(answers, region, { method: 'wilson' })
// @ts-expect-error: keys are strings or numbers
npsBy(answers, [true, false])
// @ts-expect-error: a misspelled option
npsBy(answers, region, { minbase: 5 })
// @ts-expect-error: grouped summaries read raw scores, not a Tally
npsBy(t, region)

// The CX index: dimensions as an object of arrays, overall or by group and period.
const cxOptions: CxIndexOptions = { method: 'mean', dimWeights: { ease: 2, emotion: 1, effectiveness: 1 }, bands: [50, 60, 70, 80] }
const index: CxIndex = cxIndex({ effectiveness: Uint8Array.from([5, 4]), ease: [4, null], emotion: new Float64Array([3, 5]) }, cxOptions)
const quality: 'very poor' | 'poor' | 'okay' | 'good' | 'excellent' = index.band
const dimension: CxDimension = index.dimensions[0]
const cxNumbers: number[] = [index.estimate, index.stdError, index.interval.lower, dimension.topShare, dimension.weight, dimension.mean]
const weakest: string = index.weakest
cxIndex({ a: [1, 2] }, { scales: { a: 'ces' }, requireAll: true, weights: [1, 2], dimWeights: [1], level: 0.9 })
cxIndex({ a: [1, 2] }, { scales: { lowest: 0, highest: 10 } })
const summary = new CxSummary(['a', 'b'], { scales: 'csat', requireAll: false })
summary.push([5, null], 2)
summary.extend({ a: [1], b: Int32Array.from([2]) }, [1])
summary.merge(CxSummary.fromJSON(summary.toJSON()))
const fromSummary: CxIndex = cxIndex(summary, { method: 'net' })
const summaryBytes: Buffer = summary.toBytes()
const summaryBack: CxSummary = CxSummary.fromBytes(summaryBytes)
const joint: JointTally = JointTally.fromValues([1, 0, null], { scores: [10, 2, 9], weights: [1, 2, 1] })
joint.merge(JointTally.fromBytes(new JointTally().toBytes()))
const jointLift: Lift = joint.lift(0.9)
const jointJson: Record<string, unknown> = JointTally.fromJSON(joint.toJSON()).toJSON()
// @ts-expect-error: bytes, not a string
JointTally.fromBytes('CXJT')
const summaryCounts: number = summary.n + summary.missing + summary.effectiveN
const cxRows: Array<SegmentRow & CxRowExtras> = cxIndexBy({ a: [1, 2] }, region, { reference: 'North', minBase: 10, adjust: 'bh' })
const byOptions: CxIndexByOptions = { minBase: 10, method: 'mean' }
const cxEither: Array<SegmentRow & CxRowExtras> | Array<TrendRow & CxRowExtras> = cxIndexBy({ a: [1, 2] }, region, byOptions)
const cxBand: string | null = cxRows[0].band
const cxScore: number | null = cxRows[0].scores['a']
const cxTrend = cxIndexBy({ a: [1, 2] }, null, { dates: ['2026-01-01', null], freq: 'Q', window: 2 })
const cxExcluded: number = cxTrend.excluded
const cxPeriod: string = cxTrend[0].period
// @ts-expect-error: the CX methods are net and mean
cxIndex({ a: [1] }, { method: 'median' })
// @ts-expect-error: dimensions are arrays of answers
cxIndex({ a: 'ease' })

// @ts-expect-error: the method names are fixed
nps(answers, { method: 'bogus' })
// @ts-expect-error: proportion methods are not NPS methods
topBox(answers, { scale: 'csat', method: 'score' })
// @ts-expect-error: unknown preset
nps(answers, { scale: 'stars' })
// @ts-expect-error: ratings are numbers
nps(['9', '10'])
// @ts-expect-error: a Tally is not raw values
t.extend(t)
// @ts-expect-error: merge takes a Tally
t.merge([9])
// @ts-expect-error: a scale needs lowest and highest
new Tally({ lowest: 1 })

const lift: number = loyaltyLift([1, 0, 1], { scores: [10, 3, 9] }).riskRatio.interval.upper
const liftMethod: string = loyaltyLift([1, 0], { exposure: new Uint8Array([1, 0]), level: 0.9 }).riskDifference.interval.method
const spend: number | undefined = meanLift([1, 2, 3, 4], { exposure: [1, 1, 0, 0] }).ratio?.estimate
const curveRate: number | null = loyaltyCurve([10, 0], [1, 0]).points[0].estimate
const worth: number = revenueImpact([1, 0], { exposure: [1, 0], customers: 100, revenuePerCustomer: 5 }).revenueChange.estimate
const rank: number = keyDrivers([[1, 2, 3, 4]], [2, 1, 4, 3], { resamples: 0 }).drivers[0].rank
// @ts-expect-error: revenue impact needs the revenue per customer
revenueImpact([1, 0], { exposure: [1, 0], customers: 100 })

// Transaction logs and lifetime value
const table = retention(['a', 'b', 'a'], ['2026-01-05', '2026-01-09', '2026-02-02'], [10, 4, 12], { freq: 'month', lag: 1 })
const nrr: number | null = table.rows[1].nrr
const triangle: Array<Array<number | null>> = cohorts([1, 2], ['2026-01-05', '2026-02-02'], new Float64Array([1, 2])).customerRates
const rfmSummary = rfm(['a', 'a'], ['2026-01-01', '2026-01-11'], [1, 2], { unitDays: 7, observationEnd: '2026-02-01' })
const bg = fitBgnbd(rfmSummary, { maxIterations: 500, strict: false })
const gg = fitGammaGamma({ frequency: [1, 2], monetaryValue: [3, 4] })
const value: number[] = bg.clv(rfmSummary, gg.expectedSpend(rfmSummary), { months: 12, discount: 0.01, periodLength: 4.345 })
const survival: number[] = fitSbg([1, 0.9, 0.8]).survival([1, 2, 3])
const equity: number = customerEquity({
  margin: 100, discount: 0.1, acquisition: responseCurve(0.4, 50, 0.2), retention: responseCurve(0.9, [10, 20], [0.4, 0.6]),
  acquisitionSpend: 30, retentionSpend: 10,
}).budgetOptimum.customerEquity
const multiple: number = marginMultiplier(100, 0.8, 0.1)
const summaryOfParts = Activity.fromLog(['a'], ['2026-01-05'], [1], { freq: 'month', channels: ['web'] }).merge(Activity.fromJSON('{}'))
const mergedNrr: number | null = summaryOfParts.retention({ lag: 1 }).rows[0].nrr
const viaChannel: number | null = acquisition([1, 2], ['2026-01-05', '2026-02-02'], [1, 2], ['web', null], { freq: 'month' }).rows[0].nextPeriodRetention
// @ts-expect-error: revenue is numbers
retention(['a'], ['2026-01-01'], ['10'])

const viewRows = customerView(
  { customer: ['a', 1], date: ['2026-01-01', null], ratings: { nps: [9, null] } },
  { customer: ['a'], date: ['2026-01-02'], revenue: [5] },
  { cutoff: '2026-02-01', activeDays: 90 },
)
const viewNps: number | null = viewRows[0].ratings.nps.latest
const viewActive: boolean | null = viewRows[0].active
const found = personas({ ease: [1, 2, 6, 7], channel: ['a', 'b', 'a', null] }, ['ease'], { categorical: ['channel'], k: 2, seed: 1 })
const personaLabel: string = found.personas[0].label
const personaNeeds: string[] = found.personas[0].needs
const assigned: Array<number | null> = assignPersonas(found.model, { ease: [3], channel: ['a'] })
// @ts-expect-error: features are column names
personas({ ease: [1] }, [0])

export {
  viewNps, viewActive, personaLabel, personaNeeds, assigned,
  lift, liftMethod, spend, curveRate, worth, rank,
  nrr, triangle, value, survival, equity, multiple, viaChannel, mergedNrr,
  points, split, counts, boot, test, share, spread, row, method, json, scale, stats, text, fromTally, tallies, raw,
  segments, groupKeys, estimate, versus, flags, reference, excluded, labels, change, trendRows, either,
  firstGroup, liveKeys, groupTally, liveTotal, liveShape, liveRows, described,
  summaryBack, jointLift, jointJson,
  quality, cxNumbers, weakest, fromSummary, summaryCounts, cxBand, cxScore, cxExcluded, cxPeriod, cxEither,
}
