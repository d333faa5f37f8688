// Streaming throughput: responses pushed one at a time into cxkit's Tally and KeyedTally, against
// a plain JavaScript object counting answers, promoters and detractors per region (the least a
// live NPS by region needs). Every contender ends with the NPS per region, and its result is
// checked against cxkit's batch call. Opt-in (not part of the test run); build the package first:
//
//   (cd cx-node && npx napi build --platform --release) && node benches/node/bench_push.mjs [--n 1000000] [--runs 7]
//
// Reports the median CPU time per push over `runs` passes (after a warm-up pass; CPU time of this
// single-threaded process, steadier than elapsed time on a shared machine, which is printed too),
// pushes per second, and the ratio to the plain object (how many times slower). What the contenders do differs:
// cxkit keeps, per group, the count, weight sum and squared-weight sum of every scale point and
// the missing answers (enough for every metric, weights, intervals, merging and bytes), and
// validates each answer (an error for 11 or 7.5); the plain object only counts three numbers
// and checks nothing.
import os from 'node:os'
import { KeyedTally, Tally, nps, npsBy } from '../../cx-node/index.js'
import { prng } from '../../cx-node/__test__/helpers.mjs'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const N = arg('n', 1_000_000)
const RUNS = arg('runs', 7)
const REGIONS = ['North', 'South', 'East', 'West', 'Central']
const CHANNELS = ['app', 'web', 'email']

// Seeded responses (mulberry32), as a server would receive them: a number or null, a string key.
const random = prng(42).next
const scores = Array.from({ length: N }, () => (random() < 0.02 ? null : Math.floor(random() * 11)))
const regions = Array.from({ length: N }, () => REGIONS[Math.floor(random() * REGIONS.length)])
const channels = Array.from({ length: N }, () => CHANNELS[Math.floor(random() * CHANNELS.length)])
const weights = Array.from({ length: N }, () => 0.5 + Math.floor(random() * 4) / 2)

// The NPS every contender must end with, from cxkit's batch calls.
const estimates = (rows) => Object.fromEntries(rows.map((r) => [r.group, r.estimate]))
const byRegion = estimates(npsBy(scores, regions))
const byRegionWeighted = estimates(npsBy(scores, regions, { weights }))
const byCell = estimates(npsBy(scores, [regions, channels]))

const contenders = [
  {
    name: 'plain object: n, promoters, detractors per region',
    expect: byRegion,
    run: () => {
      const groups = {}
      for (let i = 0; i < N; i++) {
        const g = (groups[regions[i]] ??= { n: 0, promoters: 0, detractors: 0, missing: 0 })
        const s = scores[i]
        if (s === null) {
          g.missing++
          continue
        }
        g.n++
        if (s >= 9) g.promoters++
        else if (s <= 6) g.detractors++
      }
      return Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, (100 * (g.promoters - g.detractors)) / g.n]))
    },
  },
  {
    name: 'Tally.push(score) (no key)',
    expect: { all: nps(scores).estimate },
    run: () => {
      const t = new Tally('nps')
      for (let i = 0; i < N; i++) t.push(scores[i])
      return { all: nps(t).estimate }
    },
  },
  {
    name: 'KeyedTally.push(score, region)',
    expect: byRegion,
    run: () => {
      const k = new KeyedTally('nps', ['region'])
      for (let i = 0; i < N; i++) k.push(scores[i], regions[i])
      return estimates(k.segments())
    },
  },
  {
    name: 'KeyedTally.push(score, region, weight)',
    expect: byRegionWeighted,
    run: () => {
      const k = new KeyedTally('nps', ['region'])
      for (let i = 0; i < N; i++) k.push(scores[i], regions[i], weights[i])
      return estimates(k.segments())
    },
  },
  {
    name: 'KeyedTally.push(score, [region, channel])',
    expect: byCell,
    run: () => {
      const k = new KeyedTally('nps', ['region', 'channel'])
      for (let i = 0; i < N; i++) k.push(scores[i], [regions[i], channels[i]])
      return estimates(k.segments())
    },
  },
  {
    name: 'for reference, batch: KeyedTally.fromValues',
    expect: byRegion,
    run: () => estimates(KeyedTally.fromValues(scores, regions).segments()),
  },
]

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const results = []
for (const { name, expect, run } of contenders) {
  const out = run() // warm-up, and the check
  for (const [group, want] of Object.entries(expect)) {
    if (!(Math.abs(out[group] - want) < 1e-9)) throw new Error(`${name}: ${group} ${out[group]} vs ${want}`)
  }
  const cpu = []
  const wall = []
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    run()
    wall.push(Number(process.hrtime.bigint() - t0) / N)
    const c = process.cpuUsage(c0)
    cpu.push(((c.user + c.system) * 1000) / N)
  }
  results.push({ name, ns: median(cpu), wall: median(wall) })
}

const base = results[0].ns
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
console.log(`${N.toLocaleString('en')} responses, ${REGIONS.length} regions (x ${CHANNELS.length} channels), median of ${RUNS}`)
console.log('ns/push: CPU time of this process per push (steady on a shared machine); wall: elapsed\n')
console.log('contender'.padEnd(48), 'ns/push'.padStart(8), 'wall'.padStart(8), 'pushes/s'.padStart(10), 'ratio'.padStart(7))
for (const { name, ns, wall } of results) {
  const perSecond = (1e9 / ns / 1e6).toFixed(2) + 'M'
  console.log(
    name.padEnd(48),
    ns.toFixed(1).padStart(8),
    wall.toFixed(1).padStart(8),
    perSecond.padStart(10),
    `${(ns / base).toFixed(1)}x`.padStart(7),
  )
}
