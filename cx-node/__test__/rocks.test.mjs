// Published reference values: Rocks, B. (2016). Interval estimation for the "Net Promoter Score".
// The American Statistician 70(4), 365-372, worked example: 20 detractors, 30 passives and
// 50 promoters at 95%; the two-sample test against 30 / 30 / 40. Published to 4-5 decimals.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nps, npsDifference } from '../index.js'
import { close } from './helpers.mjs'

/** Answers with the given numbers of detractors (score 3), passives (8) and promoters (10). */
function sample(detractors, passives, promoters) {
  return Uint8Array.from([
    ...Array(detractors).fill(3),
    ...Array(passives).fill(8),
    ...Array(promoters).fill(10),
  ])
}

const published = 5e-5 // half a unit of the fourth decimal

test('Rocks (2016): NPS 30 with Wald, adjusted Wald and score intervals', () => {
  const a = sample(20, 30, 50)
  const intervals = {
    wald: [14.6922, 45.3078],
    'adjusted-wald': [14.0511, 44.2013],
    score: [13.9551, 44.3393],
  }
  for (const [method, [lower, upper]] of Object.entries(intervals)) {
    const r = nps(a, { method })
    assert.equal(r.estimate, 30)
    assert.equal(r.interval.method, method)
    assert.equal(r.interval.level, 0.95)
    close(r.interval.lower, lower, `${method} lower`, published / lower)
    close(r.interval.upper, upper, `${method} upper`, published / upper)
  }
  assert.equal(nps(a).interval.method, 'adjusted-wald', 'adjusted Wald is the default')
})

test('Rocks (2016): difference of 20 points, SE 11.40175, z 1.75412, p 0.07941', () => {
  const d = npsDifference(sample(20, 30, 50), sample(30, 30, 40))
  close(d.estimate, 20, 'difference')
  assert.ok(Math.abs(d.stdError - 11.40175) < 5e-6, `SE ${d.stdError}`)
  assert.ok(Math.abs(d.z - 1.75412) < 5e-6, `z ${d.z}`)
  assert.ok(Math.abs(d.pValue - 0.07941) < 5e-6, `p ${d.pValue}`)
  close(d.npsA, 30, 'NPS a')
  close(d.npsB, 10, 'NPS b')
  assert.deepEqual([d.nA, d.nB], [100, 100])
  assert.equal(d.interval.method, 'wald')
})
