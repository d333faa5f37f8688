// Typed usage of every function and of the Tally class, checked against the generated
// index.d.ts by `tsc --noEmit -p tsconfig.json` (not executed). `@ts-expect-error` lines
// check that the types reject what the API rejects.
import {
  Tally,
  bottomBox,
  ces,
  csat,
  distribution,
  mean,
  nps,
  npsDifference,
  topBox,
  type Distribution,
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
const method: 'wald' | 'adjusted-wald' | 'score' | 'bootstrap' | 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'jeffreys' | 'student-t' =
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

export {
  points, split, counts, boot, test, share, spread, row, method, json, scale, stats, text, fromTally, tallies, raw,
}
