// JointTally (the summary behind loyaltyLift), CxSummary and Activity bytes: merging batches
// equals the whole, the lift of the merged summary equals loyaltyLift on all the rows, and
// bytes and JSON round-trip; damaged bytes are CX_UNREADABLE_SUMMARY.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as cx from '../index.js'
import { prng } from './helpers.mjs'

const rng = prng(99)
const n = 2000
const scores = Array.from({ length: n }, () => (rng.next() < 0.05 ? null : rng.int(0, 10)))
const retained = scores.map((s) => (rng.next() < 0.03 ? null : Number(rng.next() < 0.3 + 0.06 * (s ?? 5))))
const weights = scores.map(() => rng.int(1, 8) / 4)

test('JointTally: merged batches equal the whole, and lift() equals loyaltyLift', () => {
  const whole = cx.JointTally.fromValues(retained, { scores, weights })
  const merged = new cx.JointTally()
  for (let i = 0; i < n; i += 300) {
    const part = cx.JointTally.fromValues(retained.slice(i, i + 300), { scores: scores.slice(i, i + 300), weights: weights.slice(i, i + 300) })
    merged.merge(cx.JointTally.fromBytes(part.toBytes()))
  }
  assert.deepEqual(merged.toBytes(), whole.toBytes())
  assert.deepEqual(merged.lift(), cx.loyaltyLift(retained, { scores, weights }))
  assert.deepEqual(merged.lift(0.9), cx.loyaltyLift(retained, { scores, weights, level: 0.9 }))
  assert.deepEqual(cx.JointTally.fromJSON(JSON.stringify(whole)).toBytes(), whole.toBytes())
  assert.deepEqual(cx.JointTally.fromJSON(whole.toJSON()).toBytes(), whole.toBytes())
  assert.equal(whole.toJSON().format, 'cxkit.joint_tally')
  assert.equal(whole.toBytes().subarray(0, 4).toString('latin1'), 'CXJT')
})

test('JointTally errors', () => {
  assert.throws(() => new cx.JointTally().lift(), { code: 'CX_EMPTY_INPUT' })
  assert.throws(() => cx.JointTally.fromValues([0, 2], { scores: [9, 1] }), { code: 'CX_OUT_OF_SCALE' })
  assert.throws(() => cx.JointTally.fromValues([0, 1], { scores: [9] }), { code: 'CX_LENGTH_MISMATCH' })
  const bytes = cx.JointTally.fromValues([1, 0], { scores: [10, 0] }).toBytes()
  const flipped = Buffer.from(bytes)
  flipped[30] ^= 1
  assert.throws(() => cx.JointTally.fromBytes(flipped), { code: 'CX_UNREADABLE_SUMMARY', message: /checksum/ })
  assert.throws(() => cx.JointTally.fromBytes(bytes.subarray(0, 20)), { code: 'CX_UNREADABLE_SUMMARY' })
  assert.throws(() => cx.JointTally.fromJSON('{"format": "cxkit.tally"}'), { code: 'CX_UNREADABLE_SUMMARY' })
})

test('CxSummary and Activity bytes round-trip and merge like the summaries', () => {
  const dims = { effectiveness: [5, 4, null, 2], ease: [4, 2, 1, null], emotion: [3, null, 2, 5] }
  const s = new cx.CxSummary()
  s.extend(dims, [1, 0.5, 2, 1])
  const back = cx.CxSummary.fromBytes(s.toBytes())
  assert.deepEqual(back.toJSON(), s.toJSON())
  back.merge(cx.CxSummary.fromBytes(s.toBytes()))
  assert.equal(back.n, 2 * s.n)
  assert.equal(s.toBytes().subarray(0, 4).toString('latin1'), 'CXCS')
  assert.throws(() => s.merge(cx.CxSummary.fromBytes(new cx.CxSummary(undefined, { scales: 'ces' }).toBytes())), { code: 'CX_SCALE_MISMATCH' })

  const a = cx.Activity.fromLog(['a', 'b'], ['2026-01-05', '2026-01-09'], [10, 4])
  const b = cx.Activity.fromLog(['a'], ['2026-02-02'], [12])
  const whole = cx.Activity.fromLog(['a', 'b', 'a'], ['2026-01-05', '2026-01-09', '2026-02-02'], [10, 4, 12])
  const merged = cx.Activity.fromBytes(a.toBytes()).merge(cx.Activity.fromBytes(b.toBytes()))
  assert.deepEqual(merged.toBytes(), whole.toBytes())
  assert.equal(merged.toJSON(), whole.toJSON())
  const weekly = cx.Activity.fromLog(['a'], ['2026-01-05'], [1], { freq: 'week' })
  assert.throws(() => a.merge(cx.Activity.fromBytes(weekly.toBytes())), { code: 'CX_INVALID_ARGUMENT' })
  assert.throws(() => cx.Activity.fromBytes(a.toBytes().subarray(1)), { code: 'CX_UNREADABLE_SUMMARY' })
})
