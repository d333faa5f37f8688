// Hostile input (fast-check property tests): typed arrays of every kind, arrays with holes, null,
// undefined, strings, BigInt, objects, detached and shared ArrayBuffers give the result of a
// reference written here or an Error with a string `code` (never a crash, never NaN); worker
// threads in parallel agree with serial calls; ten million pushes into a Tally leak no memory.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import fc from 'fast-check'
import * as cx from '../index.js'

const RUNS = 300
const HOSTILE = [NaN, Infinity, -Infinity, 0, -0, 5e-324, 1e-101, 1e-100, 1e100, 1e101, 1e308, -1, 0.5, 10.5, 11, 1e16]

/** NPS by brute force on 0..10 (row order, as the core reads), or { code, index }. */
function reference(values, weights) {
  let wp = 0
  let wd = 0
  let w = 0
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    if (x === null || x === undefined || Number.isNaN(x)) continue
    if (!Number.isFinite(x) || x < 0 || x > 10) return { code: 'CX_OUT_OF_SCALE', index: i }
    if (!Number.isInteger(x)) return { code: 'CX_NON_INTEGER', index: i }
    const wi = weights ? weights[i] : 1
    if (!(wi === 0 || (wi >= 1e-100 && wi <= 1e100))) return { code: 'CX_INVALID_WEIGHT', index: i }
    n++
    w += wi
    if (x >= 9) wp += wi
    else if (x <= 6) wd += wi
  }
  if (n === 0 || w === 0) return { code: 'CX_EMPTY_INPUT' }
  return { estimate: (100 * (wp - wd)) / w }
}

/** Call `fn`; return { result } or { error } after checking the error is an Error with a code. */
function attempt(fn) {
  try {
    return { result: fn() }
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${e}`)
    assert.equal(typeof e.code, 'string', `an Error without a code: ${e.message}`)
    assert.ok(e.code.length > 0)
    return { error: e }
  }
}

function checkNps(values, expected, weights) {
  const got = attempt(() => cx.nps(values, weights ? { weights } : undefined))
  if (got.error) {
    assert.ok(expected.code, `cxkit threw ${got.error.code} (${got.error.message}), reference gives ${expected.estimate}`)
    const valueCodes = ['CX_OUT_OF_SCALE', 'CX_NON_INTEGER']
    if (valueCodes.includes(expected.code)) assert.ok(valueCodes.includes(got.error.code), got.error.message)
    else assert.equal(got.error.code, expected.code, got.error.message)
    if (expected.index !== undefined) assert.equal(got.error.index, expected.index, got.error.message)
    return
  }
  assert.ok(expected.estimate !== undefined, `reference gives ${expected.code}, cxkit ${got.result.estimate}`)
  const r = got.result
  for (const x of [r.estimate, r.stdError, r.interval.lower, r.interval.upper, r.effectiveN]) {
    assert.ok(Number.isFinite(x), `non-finite field in ${JSON.stringify(r)}`)
  }
  assert.ok(-100 <= r.interval.lower && r.interval.lower <= r.interval.upper && r.interval.upper <= 100)
  assert.ok(Math.abs(r.estimate - expected.estimate) <= 1e-9 * Math.max(1, Math.abs(expected.estimate)))
}

const number = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.double() },
)
const weight = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0, max: 50, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1e-100, 1e100, 1e-101, 1e101, -1, NaN, Infinity) },
)

test('number[] with null, undefined, NaN and hostile numbers: reference or a coded error', () => {
  const item = fc.oneof({ weight: 6, arbitrary: number }, fc.constant(null), fc.constant(undefined))
  fc.assert(fc.property(fc.array(item, { maxLength: 40 }), (values) => checkNps(values, reference(values))), { numRuns: RUNS })
})

test('weights of any value: reference or a coded error naming the index', () => {
  const rows = fc.array(fc.tuple(number, weight), { maxLength: 40 })
  fc.assert(
    fc.property(rows, fc.boolean(), (pairs, typed) => {
      const values = pairs.map((p) => p[0])
      const w = pairs.map((p) => p[1])
      checkNps(values, reference(values, w), typed ? Float64Array.from(w) : w)
    }),
    { numRuns: RUNS },
  )
})

const TYPED = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array]

test('typed arrays of every kind (and BigInt ones): the reference on the stored values, or a coded error', () => {
  fc.assert(
    fc.property(fc.constantFrom(...TYPED), fc.array(number, { maxLength: 40 }), (Kind, raw) => {
      const arr = Kind.from(raw.map((x) => (Number.isNaN(x) && Kind !== Float32Array && Kind !== Float64Array ? 0 : x)))
      const got = attempt(() => cx.nps(arr))
      if (got.error) return // an unsupported kind is an Error with a code
      checkNps(arr, reference(Array.from(arr)))
    }),
    { numRuns: RUNS },
  )
  for (const big of [BigInt64Array.from([9n, 10n]), BigUint64Array.from([9n])]) {
    assert.ok(attempt(() => cx.nps(big)).error)
  }
})

test('holes, strings, BigInt, objects, symbols and functions are coded errors, never crashes', () => {
  const odd = fc.oneof(fc.string(), fc.bigInt(), fc.object(), fc.constant(Symbol('s')), fc.constant(() => 1), fc.boolean(), fc.constant([9]))
  fc.assert(
    fc.property(fc.array(number, { maxLength: 20 }), odd, fc.nat(20), (values, bad, at) => {
      const arr = values.slice()
      arr.splice(Math.min(at, arr.length), 0, bad)
      // inspect, not String: an object whose toString is not a function cannot be made a string
      assert.ok(attempt(() => cx.nps(arr)).error, `accepted ${inspect(bad)}`)
      assert.ok(attempt(() => cx.nps(values, { weights: arr })).error)
    }),
    { numRuns: RUNS },
  )
  // Holes read as missing answers (undefined).
  // eslint-disable-next-line no-sparse-arrays
  const holes = [10, , 9, , , 0]
  checkNps(holes, reference([10, undefined, 9, undefined, undefined, 0]))
  const sparse = []
  sparse[5] = 10
  checkNps(sparse, reference([undefined, undefined, undefined, undefined, undefined, 10]))
  for (const notValues of [undefined, null, 'nps', 42, 9n, {}, { length: 3 }, new Map(), Symbol('x')]) {
    assert.ok(attempt(() => cx.nps(notValues)).error, String(notValues))
  }
})

test('detached buffers read as empty; SharedArrayBuffer views read like any other', () => {
  const a = Float64Array.from([10, 9, 0])
  structuredClone(a.buffer, { transfer: [a.buffer] })
  assert.equal(a.length, 0)
  const got = attempt(() => cx.nps(a))
  assert.equal(got.error?.code, 'CX_EMPTY_INPUT')
  const w = Float64Array.from([1, 1, 1])
  structuredClone(w.buffer, { transfer: [w.buffer] })
  assert.ok(attempt(() => cx.nps([10, 9, 0], { weights: w })).error)
  const t = new cx.Tally()
  assert.ok(attempt(() => t.extend(a)).error || t.n === 0)

  fc.assert(
    fc.property(fc.array(number, { maxLength: 40 }), fc.constantFrom(Float64Array, Float32Array, Uint8Array, Int32Array), (raw, Kind) => {
      const shared = new Kind(new SharedArrayBuffer(Math.max(1, raw.length) * Kind.BYTES_PER_ELEMENT)).subarray(0, raw.length)
      shared.set(Kind.from(raw.map((x) => (Number.isNaN(x) && Kind !== Float32Array && Kind !== Float64Array ? 0 : x))))
      const got = attempt(() => cx.nps(shared))
      if (got.error && got.error.code === 'InvalidArg') return // a view type napi does not take
      checkNps(shared, reference(Array.from(shared)))
    }),
    { numRuns: 100 },
  )
})

test('arbitrary bytes and JSON never crash: a Tally or CX_UNREADABLE_SUMMARY', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }), (bytes, text) => {
      for (const read of [() => cx.Tally.fromBytes(bytes), () => cx.Tally.fromJSON(text)]) {
        const got = attempt(read)
        if (got.error) assert.equal(got.error.code, 'CX_UNREADABLE_SUMMARY', got.error.message)
      }
    }),
    { numRuns: RUNS },
  )
})

test('worker threads in parallel agree with serial calls', async () => {
  const inputs = Array.from({ length: 8 }, (_, k) => {
    const v = new Float64Array(100_000 + k)
    const w = new Float64Array(v.length)
    let s = 12345 + k
    for (let i = 0; i < v.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0
      v[i] = s % 23 === 0 ? NaN : s % 11
      w[i] = 0.5 + (s % 7) / 3
    }
    return { v, w }
  })
  const tallyOf = (v) => {
    const t = new cx.Tally()
    t.extend(v)
    return cx.Tally.fromBytes(t.toBytes()).n
  }
  const work = ({ v, w }) => {
    const r = cx.nps(v, { weights: w })
    return [r.estimate, r.interval.lower, r.interval.upper, cx.mean(v, { scale: 'nps' }).estimate, tallyOf(v)]
  }
  const serial = inputs.map(work)
  const url = new URL('../index.js', import.meta.url).href
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    import(${JSON.stringify(url)}).then((m) => {
      const cx = m.default ?? m
      const { v, w } = workerData
      const tallyOf = (v) => {
        const t = new cx.Tally()
        t.extend(v)
        return cx.Tally.fromBytes(t.toBytes()).n
      }
      const out = []
      for (let rep = 0; rep < 3; rep++) {
        const r = cx.nps(v, { weights: w })
        out.push([r.estimate, r.interval.lower, r.interval.upper, cx.mean(v, { scale: 'nps' }).estimate, tallyOf(v)])
      }
      parentPort.postMessage(out)
    })`
  const results = await Promise.all(
    inputs.map(
      (input) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: input })
          worker.once('message', resolve)
          worker.once('error', reject)
        }),
    ),
  )
  results.forEach((reps, k) => {
    for (const r of reps) assert.deepEqual(r, serial[k], `worker ${k}`)
  })
})

test('ten million pushes into a Tally leak no memory (heap and RSS, --expose-gc in a child)', () => {
  const script = `
    const cx = require(${JSON.stringify(fileURLToPath(new URL('../index.js', import.meta.url)))})
    const mb = () => { global.gc(); global.gc(); const m = process.memoryUsage(); return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 } }
    const t = new cx.Tally()
    for (let i = 0; i < 1_000_000; i++) t.push(i % 11)  // warm up
    const before = mb()
    for (let i = 0; i < 10_000_000; i++) t.push(i % 13 === 0 ? null : i % 11, 1 + (i % 3))
    const after = mb()
    process.stdout.write(JSON.stringify({ before, after, n: t.n, missing: t.missing }))`
  const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' }))
  assert.equal(out.n + out.missing, 11_000_000)
  const heapGrowth = out.after.heap - out.before.heap
  const rssGrowth = out.after.rss - out.before.rss
  // A leak of even 8 bytes per push would be 76 MiB.
  assert.ok(heapGrowth < 4, `heap grew ${heapGrowth.toFixed(2)} MiB over 10M pushes`)
  assert.ok(rssGrowth < 16, `RSS grew ${rssGrowth.toFixed(2)} MiB over 10M pushes`)
})
