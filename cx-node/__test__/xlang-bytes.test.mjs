// Serialised summaries across languages: one data set, summarised by Node, by Rust
// (examples/summary_bytes.rs) and by Python (the repository's .venv, xlang_bytes.py), gives the
// same bytes and the same JSON in all three, and the same bytes as a writer of the documented
// layout written here (cx-core/src/codec.rs, tally/bytes.rs, keyed.rs, segment.rs). Python reads
// Node's bytes and JSON and computes NPS and segment tables bit-identical to Node's; bytes of a
// newer format version are an unreadable-summary error naming the version in every language;
// merges across scales or key columns are errors in every language.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as cx from '../index.js'
import { prng, withVersion } from './helpers.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
const python = path.resolve(here, '../../.venv/bin/python')
const noPython = existsSync(python)
  ? false
  : `no Python environment at ${python} (create it with scripts/setup-python.sh): the Python side is skipped`

const NAMES = ['region', 'tier']
const NPS_SCALE = { lowest: 0, highest: 10, top_box_min: 9, bottom_box_max: 6 }
// Non-ASCII labels check the UTF-8 of the key strings; the weights are not dyadic, so equal
// bytes mean the same summation in every language.
const REGIONS = ['North', 'South', 'Île-de-France', 'Zürich']
const CX_DIMS = ['effectiveness', 'ease', 'emotion']

function dataSet(seed, n) {
  const rng = prng(seed)
  const scores = []
  const region = []
  const tier = []
  const weights = []
  for (let i = 0; i < n; i++) {
    scores.push(rng.next() < 0.05 ? null : rng.int(0, 10))
    region.push(rng.next() < 0.03 ? null : REGIONS[rng.int(0, 3)])
    tier.push(rng.int(1, 3))
    weights.push(rng.int(1, 12) / 3)
  }
  // The CX dimensions (1-5, some unanswered), a 0/1 outcome (groups: promoters vs detractors of
  // the scores) and a transaction log (string ids, ISO dates, revenue with refunds).
  const answer = () => (rng.next() < 0.06 ? null : rng.int(1, 5))
  const cxAnswers = Object.fromEntries(CX_DIMS.map((d) => [d, scores.map(answer)]))
  const retained = scores.map(() => (rng.next() < 0.04 ? null : rng.int(0, 1)))
  const log = { customers: [], dates: [], revenue: [] }
  for (let i = 0; i < n / 2; i++) {
    log.customers.push(`c${rng.int(0, 400)}`)
    log.dates.push(`2025-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`)
    log.revenue.push(rng.int(-20, 300) / 3)
  }
  return { scale: NPS_SCALE, names: NAMES, scores, weights, keys: [region, tier], reference: ['North', 2], cx: cxAnswers, retained, log }
}

const data = dataSet(20260, 5000)
let dir
let tally
let keyed
let cxSummary
let joint
let activity

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cxkit-xlang-'))
  tally = new cx.Tally('nps')
  tally.extend(data.scores, data.weights)
  keyed = cx.KeyedTally.fromValues(data.scores, data.keys, { names: NAMES, weights: data.weights })
  const write = (name, content) => writeFileSync(path.join(dir, name), content)
  write('data.json', JSON.stringify(data))
  write('node-tally.bin', tally.toBytes())
  write('node-tally.json', JSON.stringify(tally))
  write('node-keyed.bin', keyed.toBytes())
  write('node-keyed.json', JSON.stringify(keyed))
  write('node-tally-v2.bin', withVersion(tally.toBytes(), 2))
  write('node-keyed-v2.bin', withVersion(keyed.toBytes(), 2))
  cxSummary = new cx.CxSummary()
  cxSummary.extend(data.cx, data.weights)
  joint = cx.JointTally.fromValues(data.retained, { scores: data.scores, weights: data.weights })
  activity = cx.Activity.fromLog(data.log.customers, data.log.dates, data.log.revenue)
  write('node-cx.bin', cxSummary.toBytes())
  write('node-joint.bin', joint.toBytes())
  write('node-activity.bin', activity.toBytes())
})

after(() => rmSync(dir, { recursive: true, force: true }))

const read = (name) => readFileSync(path.join(dir, name))
const sameBytes = (actual, expected, what) =>
  assert.ok(Buffer.compare(actual, expected) === 0, `${what}: ${actual.length} bytes vs ${expected.length}, first difference at ${firstDifference(actual, expected)}`)
const firstDifference = (a, b) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i
  return Math.min(a.length, b.length)
}

// A writer of the documented layout, independent of the library's.
const u16 = (x) => { const b = Buffer.alloc(2); b.writeUInt16LE(x); return b }
const u32 = (x) => { const b = Buffer.alloc(4); b.writeUInt32LE(x); return b }
const i32 = (x) => { const b = Buffer.alloc(4); b.writeInt32LE(x); return b }
const u64 = (x) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(x)); return b }
const i64 = (x) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(x)); return b }
const f64 = (x) => { const b = Buffer.alloc(8); b.writeDoubleLE(x); return b }
const str = (s) => { const utf8 = Buffer.from(s, 'utf8'); return Buffer.concat([u32(utf8.length), utf8]) }
/** magic, version 1, flags 0, body, CRC-32 of all before it (cx-core/src/codec.rs). */
function frame(magic, parts) {
  const head = Buffer.concat([Buffer.from(magic, 'latin1'), u16(1), u16(0), ...parts])
  return Buffer.concat([head, u32(zlib.crc32(head))])
}
const scaleBytes = (s) => [i32(s.lowest), i32(s.highest), i32(s.topBoxMin), i32(s.bottomBoxMax)]
/** missing u64, then per point count u64, weight sum f64, squared-weight sum f64. */
const tallyBody = (t) => [u64(t.missing), ...t.counts.flatMap((c, i) => [u64(c), f64(t.weights[i]), f64(t.weightsSq[i])])]
const keyBytes = (k) => (k === null ? [Buffer.from([2])] : typeof k === 'string' ? [Buffer.from([1]), str(k)] : [Buffer.from([0]), i64(k)])
const documentedTally = (t) => frame('CXTL', [...scaleBytes(t.scale), ...tallyBody(t)])
const documentedKeyed = (k) =>
  frame('CXKT', [
    ...scaleBytes(k.scale),
    u32(k.names.length),
    ...k.names.map(str),
    u32(k.size),
    ...k.keys().flatMap((key) => [...key.flatMap(keyBytes), ...tallyBody(k.tally(key))]),
  ])
const documentedGrouped = (k) =>
  frame('CXGT', [...scaleBytes(k.scale), u32(k.size), ...k.keys().flatMap((key) => tallyBody(k.tally(key)))])

test('Node writes the documented layout (CXTL, CXKT)', () => {
  sameBytes(tally.toBytes(), documentedTally(tally), 'Tally')
  sameBytes(keyed.toBytes(), documentedKeyed(keyed), 'KeyedTally')
  assert.deepEqual(keyed.keys().slice(0, 3), [['North', 1], ['North', 2], ['North', 3]])
  assert.deepEqual(keyed.keys().at(-1), [null, 3])
})

test('Rust (examples/summary_bytes.rs) writes the same bytes and JSON as Node', (t) => {
  const args = ['run', '-q', '--release', '-p', 'cx-core', '--example', 'summary_bytes', '--', path.join(dir, 'data.json'), dir]
  const cargo = spawnSync('cargo', args, { cwd: repo, encoding: 'utf8', timeout: 15 * 60 * 1000 })
  if (cargo.error?.code === 'ENOENT') {
    t.skip('cargo is not installed: the comparison with Rust is skipped')
    return
  }
  assert.equal(cargo.status, 0, `cargo ${args.join(' ')} failed:\n${cargo.stderr}`)
  sameBytes(read('rust-tally.bin'), tally.toBytes(), 'Tally (Rust vs Node)')
  sameBytes(read('rust-keyed.bin'), keyed.toBytes(), 'KeyedTally (Rust vs Node)')
  // Node has no GroupedTally: Rust's bytes are checked against the documented layout, with the
  // groups in the keyed tally's order.
  sameBytes(read('rust-grouped.bin'), documentedGrouped(keyed), 'GroupedTally (Rust vs documented layout)')
  assert.deepEqual(JSON.parse(read('rust-tally.json')), tally.toJSON())
  assert.deepEqual(JSON.parse(read('rust-keyed.json')), keyed.toJSON())
  sameBytes(cx.Tally.fromJSON(read('rust-tally.json').toString()).toBytes(), tally.toBytes(), 'Tally from Rust JSON')
  sameBytes(cx.KeyedTally.fromJSON(read('rust-keyed.json').toString()).toBytes(), keyed.toBytes(), 'KeyedTally from Rust JSON')
  // The grouped bytes' version field is checked by Rust's reader like the others.
  assert.equal(read('rust-grouped.bin').readUInt16LE(4), 1)
  // The CX summary, the loyalty joint tally and the activity summary: bytes and JSON.
  sameBytes(read('rust-cx.bin'), cxSummary.toBytes(), 'CxSummary (Rust vs Node)')
  sameBytes(read('rust-joint.bin'), joint.toBytes(), 'JointTally (Rust vs Node)')
  sameBytes(read('rust-activity.bin'), activity.toBytes(), 'Activity (Rust vs Node)')
  assert.deepEqual(JSON.parse(read('rust-cx.json')), cxSummary.toJSON())
  assert.deepEqual(JSON.parse(read('rust-joint.json')), joint.toJSON())
  assert.equal(read('rust-activity.json').toString(), activity.toJSON())
  sameBytes(cx.CxSummary.fromBytes(read('rust-cx.bin')).toBytes(), cxSummary.toBytes(), 'CxSummary read from Rust')
  sameBytes(cx.JointTally.fromBytes(read('rust-joint.bin')).toBytes(), joint.toBytes(), 'JointTally read from Rust')
  sameBytes(cx.Activity.fromBytes(read('rust-activity.bin')).toBytes(), activity.toBytes(), 'Activity read from Rust')
  assert.deepEqual(cx.JointTally.fromBytes(read('rust-joint.bin')).lift(), cx.loyaltyLift(data.retained, { scores: data.scores, weights: data.weights }))
  assert.deepEqual(cx.Activity.fromBytes(read('rust-activity.bin')).retention(), activity.retention())
})

/** Compare a Node value with a snake_case Python value, numbers bit for bit. */
function compare(actual, expected, where) {
  if (expected === null || typeof expected !== 'object') {
    assert.ok(Object.is(actual, expected), `${where}: ${actual} (Node) vs ${expected} (Python)`)
    return
  }
  if (Array.isArray(expected)) {
    assert.equal(actual.length, expected.length, `${where}.length`)
    expected.forEach((e, i) => compare(actual[i], e, `${where}[${i}]`))
    return
  }
  const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
  for (const [key, e] of Object.entries(expected)) compare(actual[camel(key)], e, `${where}.${key}`)
}

test('Python reads Node\'s bytes and JSON, computes the same numbers and writes the same bytes', { skip: noPython }, () => {
  const py = spawnSync(python, [path.join(here, 'xlang_bytes.py'), dir], { encoding: 'utf8', timeout: 5 * 60 * 1000 })
  assert.equal(py.status, 0, `python xlang_bytes.py failed:\n${py.stderr}`)
  const r = JSON.parse(read('py-results.json'))
  assert.equal(r.tally_json_equal, true, 'Python: Tally from Node JSON equals Tally from Node bytes')
  assert.equal(r.keyed_json_equal, true, 'Python: KeyedTally from Node JSON equals it from bytes')
  assert.equal(r.own_equal, true, 'Python: its own summaries equal Node\'s')

  compare(cx.nps(tally), r.nps, 'nps')
  assert.deepEqual(r.names, NAMES)
  assert.deepEqual(r.keys, keyed.keys())
  const rows = (node, pyRows, what) => {
    assert.deepEqual(node.map((row) => row.keys), pyRows.map((row) => row.keys), `${what}: groups`)
    pyRows.forEach(({ keys, ...row }, i) => compare(node[i], row, `${what}[${keys}]`))
  }
  rows(keyed.segments('nps', { reference: data.reference }), r.segments, 'segments')
  rows(cx.npsBy(data.scores, data.keys, { weights: data.weights, reference: data.reference }), r.segments, 'npsBy')
  rows(keyed.segments('topBox', { method: 'jeffreys' }), r.segments_top_box, 'segments topBox')
  rows(keyed.segments('mean', { adjust: 'bh' }), r.segments_mean, 'segments mean')

  sameBytes(read('py-tally.bin'), tally.toBytes(), 'Tally (Python vs Node)')
  sameBytes(read('py-keyed.bin'), keyed.toBytes(), 'KeyedTally (Python vs Node)')
  sameBytes(cx.KeyedTally.fromBytes(read('py-keyed.bin')).toBytes(), keyed.toBytes(), 'KeyedTally read from Python')
  sameBytes(cx.KeyedTally.fromJSON(read('py-keyed.json').toString()).toBytes(), keyed.toBytes(), 'KeyedTally from Python JSON')
  sameBytes(cx.Tally.fromJSON(read('py-tally.json').toString()).toBytes(), tally.toBytes(), 'Tally from Python JSON')
  if (existsSync(path.join(dir, 'rust-keyed.json'))) {
    // serde_json in both: the very same text.
    assert.equal(read('py-keyed.json').toString(), read('rust-keyed.json').toString())
    assert.equal(read('py-tally.json').toString(), read('rust-tally.json').toString())
  }

  // The CX summary, joint tally and activity summary: Python read Node's bytes and Rust's, and
  // wrote the same bytes as Node.
  assert.equal(r.more_equal, true, 'Python: CxSummary, JointTally and Activity from Node bytes equal its own')
  if (r.rust_more_equal !== null) assert.equal(r.rust_more_equal, true, 'Python: the same summaries from Rust bytes')
  sameBytes(read('py-cx.bin'), cxSummary.toBytes(), 'CxSummary (Python vs Node)')
  sameBytes(read('py-joint.bin'), joint.toBytes(), 'JointTally (Python vs Node)')
  sameBytes(read('py-activity.bin'), activity.toBytes(), 'Activity (Python vs Node)')
  sameBytes(cx.CxSummary.fromBytes(read('py-cx.bin')).toBytes(), cxSummary.toBytes(), 'CxSummary read from Python')
  sameBytes(cx.JointTally.fromBytes(read('py-joint.bin')).toBytes(), joint.toBytes(), 'JointTally read from Python')
  sameBytes(cx.Activity.fromBytes(read('py-activity.bin')).toBytes(), activity.toBytes(), 'Activity read from Python')
  for (const [name, what] of [['cx_v2', 'CX summary'], ['joint_v2', 'joint tally'], ['activity_v2', 'activity summary']]) {
    assert.match(r.errors[name].message, new RegExp(`${what} format version 2 is not supported`))
    assert.equal(r.errors[name].class, 'UnreadableSummaryError')
  }

  // Newer versions and mismatched merges, in Python.
  for (const [name, what] of [['tally_v2', 'tally'], ['keyed_v2', 'keyed tally']]) {
    const e = r.errors[name]
    assert.ok(e, `Python read ${name}`)
    assert.equal(e.class, 'UnreadableSummaryError')
    assert.equal(e.code, 'unreadable_summary')
    assert.match(e.message, new RegExp(`${what} format version 2 is not supported; this build reads version 1`))
  }
  assert.equal(r.errors.merge_scale.class, 'ScaleMismatchError')
  assert.equal(r.errors.merge_names.class, 'InvalidArgumentError')
})

test('bytes of a newer version are CX_UNREADABLE_SUMMARY naming the version', () => {
  for (const [bin, Class, what] of [['node-tally-v2.bin', cx.Tally, 'tally'], ['node-keyed-v2.bin', cx.KeyedTally, 'keyed tally']]) {
    const bytes = read(bin)
    assert.equal(bytes.readUInt16LE(4), 2)
    assert.throws(() => Class.fromBytes(bytes), (e) => {
      assert.equal(e.code, 'CX_UNREADABLE_SUMMARY')
      assert.equal(e.message, `unreadable serialised summary: ${what} format version 2 is not supported; this build reads version 1`)
      assert.match(e.reason, /version 2/)
      return true
    })
  }
  for (const [summary, Class, what] of [[cxSummary, cx.CxSummary, 'CX summary'], [joint, cx.JointTally, 'joint tally'], [activity, cx.Activity, 'activity summary']]) {
    assert.throws(() => Class.fromBytes(withVersion(summary.toBytes(), 2)), (e) => {
      assert.equal(e.code, 'CX_UNREADABLE_SUMMARY')
      assert.equal(e.message, `unreadable serialised summary: ${what} format version 2 is not supported; this build reads version 1`)
      return true
    })
    const bytes = summary.toBytes()
    assert.throws(() => Class.fromBytes(bytes.subarray(0, bytes.length - 3)), { code: 'CX_UNREADABLE_SUMMARY' })
  }
  // JSON too.
  assert.throws(() => cx.KeyedTally.fromJSON({ ...keyed.toJSON(), version: 2 }), { code: 'CX_UNREADABLE_SUMMARY', message: /version 2/ })
  assert.throws(() => cx.Tally.fromJSON({ ...tally.toJSON(), version: 2 }), { code: 'CX_UNREADABLE_SUMMARY', message: /version 2/ })
})
