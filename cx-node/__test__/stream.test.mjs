// Streaming: one million responses pushed one at a time (Tally.push, KeyedTally.push, and the
// `record` path of examples/node_stream.mjs) give exactly the results of the batch calls
// (nps(scores), npsBy(scores, keys)); the example's HTTP server, on an ephemeral port on
// 127.0.0.1, serves the live NPS and the summary's bytes, and answers bad input with the
// error's code.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { prng } from './helpers.mjs'
import { createStream, listen } from '../../examples/node_stream.mjs'

const N = 1_000_000
const REGIONS = ['North', 'South', 'East', 'West', 'Île-de-France']

/** Seeded responses: scores 0-10 (about 3% missing), regions (about 1% missing), dyadic weights. */
function responses(seed, n) {
  const rng = prng(seed)
  const scores = new Array(n)
  const regions = new Array(n)
  const weights = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const region = rng.next() < 0.01 ? null : REGIONS[rng.int(0, REGIONS.length - 1)]
    // Scores lean by region, so that the groups differ and the tests have something to find.
    const lean = region === 'North' ? 2 : region === 'South' ? -2 : 0
    scores[i] = rng.next() < 0.03 ? null : Math.max(0, Math.min(10, rng.int(0, 10) + lean))
    regions[i] = region
    // Multiples of 1/4 below 4: every sum of a million of them is exact in a double, so the
    // order of summation cannot change a bit.
    weights[i] = rng.int(1, 15) / 4
  }
  return { scores, regions, weights }
}

const data = responses(7, N)

test('1,000,000 pushes one by one equal the batch calls exactly (Tally, KeyedTally)', () => {
  const { scores, regions } = data
  const tally = new cx.Tally('nps')
  const keyed = new cx.KeyedTally('nps', ['region'])
  for (let i = 0; i < N; i++) {
    tally.push(scores[i])
    keyed.push(scores[i], regions[i])
  }
  assert.equal(tally.n + tally.missing, N)
  assert.deepEqual(cx.nps(tally), cx.nps(scores))
  assert.deepEqual(keyed.segments(), cx.npsBy(scores, regions))
  assert.deepEqual(cx.nps(keyed.total()), cx.nps(scores))
  assert.ok(keyed.toBytes().equals(cx.KeyedTally.fromValues(scores, regions, { names: ['region'] }).toBytes()))
  // The bootstrap interval draws from the summary, so it is the same too.
  const boot = { method: 'bootstrap', resamples: 500, seed: 3 }
  assert.deepEqual(cx.nps(tally, boot), cx.nps(scores, boot))
})

test('1,000,000 weighted pushes equal the weighted batch calls exactly', () => {
  const { scores, regions, weights } = data
  const tally = new cx.Tally('nps')
  const keyed = new cx.KeyedTally('nps', ['region'])
  for (let i = 0; i < N; i++) {
    tally.push(scores[i], weights[i])
    keyed.push(scores[i], regions[i], weights[i])
  }
  assert.deepEqual(cx.nps(tally), cx.nps(scores, { weights }))
  assert.deepEqual(keyed.segments('nps', { reference: 'North' }), cx.npsBy(scores, regions, { weights, reference: 'North' }))
  assert.deepEqual(keyed.segments('topBox'), cx.topBoxBy(scores, regions, { weights, scale: 'nps' }))
})

test('the example server\'s record path: 1,000,000 responses equal the batch calls; parts merge', () => {
  const { scores, regions } = data
  const stream = createStream()
  // Two servers each see half of the responses; one merges the other's summary bytes.
  const other = createStream()
  for (let i = 0; i < N; i++) (i % 2 ? other : stream).record({ score: scores[i], region: regions[i] })
  stream.byRegion.merge(cx.KeyedTally.fromBytes(other.byRegion.toBytes()))
  const live = stream.snapshot()
  assert.deepEqual(live.overall, cx.nps(scores))
  assert.deepEqual(live.byRegion, cx.npsBy(scores, regions))
})

let server
after(() => server?.close())

test('the example server over HTTP on 127.0.0.1: POST /responses, GET /nps, GET and POST /summary, errors', async () => {
  const started = await listen(0)
  server = started.server
  const base = `http://127.0.0.1:${server.address().port}`
  const post = (route, body, type = 'application/json') =>
    fetch(base + route, { method: 'POST', headers: { 'content-type': type }, body })

  assert.deepEqual(await (await fetch(`${base}/nps`)).json(), { overall: null, byRegion: [] })

  const n = 300
  const { scores, regions } = data
  for (let i = 0; i < n; i++) {
    const r = await post('/responses', JSON.stringify({ score: scores[i], region: regions[i] }))
    assert.equal(r.status, 200)
    assert.deepEqual(await r.json(), { received: 1 })
  }
  const batch = []
  for (let i = n; i < 2 * n; i++) batch.push({ score: scores[i], region: regions[i] })
  assert.deepEqual(await (await post('/responses', JSON.stringify(batch))).json(), { received: n })

  const first = scores.slice(0, 2 * n)
  const firstRegions = regions.slice(0, 2 * n)
  const live = await (await fetch(`${base}/nps`)).json()
  assert.deepEqual(live.overall, cx.nps(first))
  assert.deepEqual(live.byRegion, cx.npsBy(first, firstRegions))

  // The summary's bytes, read in this process, and merged back into the server as another
  // process's part (the server then holds every response twice).
  const got = await fetch(`${base}/summary`)
  assert.equal(got.headers.get('content-type'), 'application/octet-stream')
  const bytes = Buffer.from(await got.arrayBuffer())
  const summary = cx.KeyedTally.fromBytes(bytes)
  assert.ok(bytes.equals(cx.KeyedTally.fromValues(first, firstRegions, { names: ['region'] }).toBytes()))
  assert.deepEqual(await (await post('/summary', bytes, 'application/octet-stream')).json(), { groups: summary.size })
  const twice = await (await fetch(`${base}/nps`)).json()
  assert.deepEqual(twice.overall, cx.nps([...first, ...first]))

  // Bad input: the error's code and a status of 400; nothing recorded.
  const before = Buffer.from(await (await fetch(`${base}/summary`)).arrayBuffer())
  const bad = async (route, body, error, response, type) => {
    const r = await post(route, body, type)
    assert.equal(r.status, 400, `${route} ${body}`)
    const e = await r.json()
    assert.equal(e.error, error, e.message)
    assert.equal(e.response, response)
    return e
  }
  const e = await bad('/responses', JSON.stringify([{ score: 9, region: 'North' }, { score: 11, region: 'North' }]), 'CX_OUT_OF_SCALE', 1)
  assert.match(e.message, /value 11 .* outside the scale 0..=10/)
  await bad('/responses', JSON.stringify({ score: 7.5 }), 'CX_NON_INTEGER', 0)
  await bad('/responses', JSON.stringify({ score: 7, weight: -1 }), 'CX_INVALID_WEIGHT', 0)
  await bad('/responses', JSON.stringify({ score: 7, region: 1.5 }), 'CX_INVALID_ARGUMENT', 0)
  await bad('/responses', JSON.stringify([{ score: 7 }, { score: 7, region: { name: 'North' } }]), 'CX_WRONG_TYPE', 1)
  await bad('/responses', 'not json', 'BAD_JSON')
  const unreadable = await bad('/summary', bytes.subarray(0, 100), 'CX_UNREADABLE_SUMMARY', undefined, 'application/octet-stream')
  assert.match(unreadable.message, /checksum/)
  const csat = new cx.KeyedTally('csat', ['region']).toBytes()
  await bad('/summary', csat, 'CX_SCALE_MISMATCH', undefined, 'application/octet-stream')
  const channels = new cx.KeyedTally('nps', ['channel']).toBytes()
  await bad('/summary', channels, 'CX_INVALID_ARGUMENT', undefined, 'application/octet-stream')
  assert.ok(Buffer.from(await (await fetch(`${base}/summary`)).arrayBuffer()).equals(before), 'nothing recorded')

  assert.equal((await fetch(`${base}/nowhere`)).status, 404)
})
