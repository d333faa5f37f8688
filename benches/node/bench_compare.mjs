// Overall NPS with its standard error from a Uint8Array of scores: cxkit against a tight
// typed-array loop (a histogram of the bytes), a natural if/else loop over the same array, and,
// when installed (`npm ci` in benches/node, done by scripts/bench.sh), nodejs-polars and the npm
// net-promoter-score package. Same data, same run; every contender's NPS is checked against
// cxkit's. Build the addon first:
//
//   (cd cx-node && npx napi build --platform --release) && node benches/node/bench_compare.mjs [--n 10000000] [--runs 7]
//
// Reports the median wall time per row over `runs` runs after a warm-up, the ratio to cxkit,
// and the heap and resident memory a call adds (cxkit reads the Uint8Array in place: no copy).
// The thread cap of cxkit's pool is RAYON_NUM_THREADS (scripts/bench.sh runs 1 and 2).
import { createRequire } from 'node:module'
import os from 'node:os'
import { nps } from '../../cx-node/index.js'
import { prng } from '../../cx-node/__test__/helpers.mjs'

const require = createRequire(import.meta.url)
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const N = arg('n', 10_000_000)
const RUNS = arg('runs', 7)

// Seeded scores (mulberry32).
const random = prng(7).next
const scores = new Uint8Array(N)
for (let i = 0; i < N; i++) scores[i] = Math.floor(random() * 11)

const npsSe = (prom, det, n) => {
  const p = prom / n
  const d = det / n
  const est = p - d
  return [100 * est, 100 * Math.sqrt((p + d - est * est) / n)]
}

/** The tight loop: a histogram of the bytes, then NPS from it. */
const typedLoop = (v) => {
  const h = new Float64Array(256)
  for (let i = 0; i < v.length; i++) h[v[i]]++
  let n = 0
  for (let k = 0; k <= 10; k++) n += h[k]
  if (n !== v.length) throw new RangeError('score out of 0..10')
  return npsSe(h[9] + h[10], h[0] + h[1] + h[2] + h[3] + h[4] + h[5] + h[6], n)
}

/** The loop most people write. */
const naturalLoop = (v) => {
  let promoters = 0
  let detractors = 0
  let total = 0
  for (const s of v) {
    if (s < 0 || s > 10) throw new RangeError('score out of 0..10')
    if (s >= 9) promoters++
    else if (s <= 6) detractors++
    total++
  }
  return npsSe(promoters, detractors, total)
}

const contenders = [
  ['cxkit nps()', () => { const r = nps(scores); return [r.estimate, r.stdError] }],
  ['typed-array histogram loop', () => typedLoop(scores)],
  ['natural if/else loop', () => naturalLoop(scores)],
]

try {
  const pl = require('nodejs-polars')
  const df = pl.DataFrame({ s: pl.Series('s', scores) })
  const s = pl.col('s')
  contenders.push([
    'nodejs-polars (frame prebuilt)',
    () => {
      const [n, prom, det] = df
        .select(pl.len().alias('n'), s.gtEq(9).sum().alias('prom'), s.ltEq(6).sum().alias('det'))
        .row(0)
      return npsSe(prom, det, n)
    },
  ])
} catch {
  console.log('(nodejs-polars not installed: cd benches/node && npm ci --force)')
}

try {
  const NPS = require('net-promoter-score')
  const plain = Array.from(scores)
  contenders.push([
    'npm net-promoter-score (Array)',
    () => {
      const r = new NPS(plain)
      return [r.score, NaN]
    },
  ])
} catch {
  console.log('(net-promoter-score not installed)')
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const results = []
let reference
for (const [name, fn] of contenders) {
  const heap0 = process.memoryUsage().heapUsed
  const rss0 = process.memoryUsage().rss
  const out = fn() // warm-up, and the memory a call adds
  const extraHeap = (process.memoryUsage().heapUsed - heap0) / 2 ** 20
  const extraRss = (process.memoryUsage().rss - rss0) / 2 ** 20
  reference ??= out
  // the npm package rounds the score to a whole point
  const tolerance = name.startsWith('npm') ? 0.5 : 1e-6
  if (Math.abs(out[0] - reference[0]) > tolerance) throw new Error(`${name}: NPS ${out[0]} != ${reference[0]}`)
  if (Number.isFinite(out[1]) && Math.abs(out[1] - reference[1]) > 1e-9) {
    throw new Error(`${name}: SE ${out[1]} != ${reference[1]}`)
  }
  const runs = name.startsWith('npm') ? Math.min(RUNS, 3) : RUNS
  const times = []
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - t) / N)
  }
  results.push({ name, ns: median(times), extraHeap, extraRss })
}

const ours = results[0].ns
console.log(
  `NPS with SE, ${N.toLocaleString('en')} scores in a Uint8Array, median of ${RUNS} runs; ` +
    `Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}, ` +
    `RAYON_NUM_THREADS=${process.env.RAYON_NUM_THREADS ?? '(all)'}`,
)
console.log(`${'contender'.padEnd(32)}${'ns/row'.padStart(9)}${'x cxkit'.padStart(9)}${'+heap MiB'.padStart(11)}${'+rss MiB'.padStart(10)}`)
for (const r of results) {
  console.log(
    `${r.name.padEnd(32)}${r.ns.toFixed(3).padStart(9)}${(r.ns / ours).toFixed(2).padStart(9)}` +
      `${r.extraHeap.toFixed(1).padStart(11)}${r.extraRss.toFixed(1).padStart(10)}`,
  )
}
if (process.argv.includes('--json')) console.log(JSON.stringify(results))
