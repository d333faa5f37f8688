// The cross-language fixture `testdata/cases.json`, read by the Rust, Python and Node suites:
// every case through the Node API against the fixture's expected values (independent oracle)
// and expected errors, then every case against cx-core itself via `examples/xlang_dump.rs`.
//
// CXKIT_FIXTURE=/path/to/cases.json points the test at another fixture file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import * as cx from '../index.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const fixturePath = process.env.CXKIT_FIXTURE ?? path.join(repo, 'testdata', 'cases.json')
const fixture = existsSync(fixturePath) ? JSON.parse(readFileSync(fixturePath, 'utf8')) : null
const skip = fixture ? false : `no fixture at ${fixturePath}`

const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const scaleOf = (s) => ({
  lowest: s.lowest,
  highest: s.highest,
  topBoxMin: s.top_box_min,
  bottomBoxMax: s.bottom_box_max,
})

/** Run one case through the Node API (null fields of the fixture are absent options). */
function run(c) {
  const o = c.options ?? {}
  const scale = scaleOf(c.scale)
  const weights = c.weights ?? undefined
  const proportion = { scale, weights, level: o.level, method: o.method }
  switch (c.function) {
    case 'nps':
      return cx.nps(c.values, { ...proportion, resamples: o.resamples, seed: o.seed })
    case 'nps_difference':
      return cx.npsDifference(c.values, c.values_b, {
        weightsA: weights,
        weightsB: c.weights_b ?? undefined,
        scale,
        level: o.level,
      })
    case 'top_box':
      return cx.topBox(c.values, proportion)
    case 'bottom_box':
      return cx.bottomBox(c.values, proportion)
    case 'csat':
      return cx.csat(c.values, proportion)
    case 'mean':
      return cx.mean(c.values, { scale, weights, level: o.level })
    case 'ces':
      return cx.ces(c.values, { scale, weights, level: o.level })
    case 'distribution':
      return cx.distribution(c.values, { scale, weights })
    default:
      throw new Error(`case ${c.name}: unknown function ${c.function}`)
  }
}

/**
 * Compare a Node result with a snake_case expectation, field for field (both ways, so a field
 * missing on either side fails). Numbers within `within(actual, expected, where)`.
 */
function compare(actual, expected, where, within) {
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'number') within(actual, expected, where)
    else if (expected === null) assert.ok(!Number.isFinite(actual), `${where}: ${actual} vs null (non-finite)`)
    else assert.equal(actual, expected, where)
    return
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: not an array`)
    assert.equal(actual.length, expected.length, `${where}.length`)
    expected.forEach((e, i) => compare(actual[i], e, `${where}[${i}]`, within))
    return
  }
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).map(camel).sort(), `${where}: fields`)
  for (const [key, e] of Object.entries(expected)) compare(actual[camel(key)], e, `${where}.${key}`, within)
}

const cases = fixture?.cases ?? []
const tolerance = { relative: 1e-12, absolute: 1e-12, ...fixture?.tolerance }
const nearly = (a, b, where) =>
  assert.ok(
    Math.abs(a - b) <= Math.max(tolerance.absolute, tolerance.relative * Math.abs(b)),
    `${where}: ${a} vs ${b}`,
  )
const exactly = (a, b, where) => assert.ok(Object.is(a, b), `${where}: ${a} vs ${b} (bit-identical)`)

test('fixture: every case matches its expected result or error', { skip }, () => {
  assert.ok(cases.length > 0, 'the fixture has cases')
  for (const c of cases) {
    if (c.expected_error) {
      const { code, ...details } = c.expected_error
      assert.throws(
        () => run(c),
        (e) => {
          assert.ok(e instanceof Error, `${c.name}: an Error`)
          assert.equal(e.code, `CX_${code.toUpperCase()}`, `${c.name}: code (${e.message})`)
          for (const [key, value] of Object.entries(details)) exactly(e[camel(key)], value, `${c.name}: ${key}`)
          return true
        },
        c.name,
      )
    } else if (c.expected) {
      compare(run(c), c.expected, c.name, nearly)
    } else {
      run(c) // no independent value (bootstrap): must succeed; checked against Rust below
    }
  }
})

test('fixture: every case is bit-identical to cx-core (examples/xlang_dump.rs)', { skip }, (t) => {
  const args = ['run', '--release', '-q', '-p', 'cx-core', '--example', 'xlang_dump', '--', path.relative(repo, fixturePath)]
  const cargo = spawnSync('cargo', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 15 * 60 * 1000 })
  if (cargo.error?.code === 'ENOENT') {
    t.skip('cargo is not installed: the comparison with the Rust dump is skipped')
    return
  }
  assert.equal(cargo.status, 0, `cargo ${args.join(' ')} failed:\n${cargo.stderr}`)
  const dump = JSON.parse(cargo.stdout)
  const ok = cases.filter((c) => !c.expected_error)
  assert.deepEqual(Object.keys(dump).sort(), ok.map((c) => c.name).sort(), 'the dump has every non-error case')
  for (const c of ok) compare(run(c), dump[c.name], `${c.name} (Rust)`, exactly)
})
