// The README quick start, run as a test. The code between the markers must be the README's
// first ```js block, character for character, so the two cannot drift apart. The README's other
// self-contained ```js blocks (segments and trends) run as written, importing this package.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nps, npsDifference, csat, Tally } from 'cxkit'

test('README quick start', () => {
  // quickstart:start
  // Ratings 0-10 as a number[] (null or NaN: no answer) or a typed array, read in place.
  const scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0, null]
  const r = nps(scores) // adjusted-Wald 95% interval by default
  assert.equal(r.estimate, 20) // points: 50% promoters - 30% detractors
  assert.deepEqual([r.n, r.missing], [10, 1])
  assert.equal(r.interval.method, 'adjusted-wald')

  // CSAT on the 1-5 scale: the share (0 to 1) of 4s and 5s, with a Wilson interval.
  const sat = csat(Uint8Array.of(5, 4, 4, 3, 1, 5, 2, 4))
  assert.equal(sat.estimate, 0.625)
  assert.ok(sat.interval.lower > 0.3 && sat.interval.upper < 0.87)

  // Answers arriving one by one: a Tally summarises, merges and travels as bytes or JSON.
  const monday = new Tally('nps')
  monday.push(9)
  monday.push(3, 1.5) // a weighted answer
  const tuesday = new Tally('nps')
  tuesday.extend(Float64Array.of(10, 7, NaN))
  monday.merge(tuesday)
  const week = Tally.fromBytes(monday.toBytes())
  assert.deepEqual([nps(week).n, week.missing], [4, 1])

  // Two groups: the NPS difference in points, with a z-test.
  const d = npsDifference([10, 9, 9, 8, 3], [6, 7, 9, 2, 0])
  assert.deepEqual([d.npsA, d.npsB, d.estimate], [40, -40, 80])
  assert.ok(d.pValue > 0.05) // not significant with five answers per group

  // Errors are Error objects with a stable code and the offending index and value.
  assert.throws(() => nps([9, 10, 11]), { code: 'CX_OUT_OF_SCALE', index: 2, value: 11 })
  // quickstart:end
})

test('the README shows exactly this quick start', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  const snippet = source
    .slice(source.indexOf('// quickstart:start\n') + 20, source.indexOf('  // quickstart:end'))
    .split('\n')
    .map((line) => line.replace(/^ {2}/, ''))
    .join('\n')
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const block = readme.match(/```js\n([\s\S]*?)```/)[1]
  const imports = "import assert from 'node:assert/strict'\nimport { nps, npsDifference, csat, Tally } from 'cxkit'\n\n"
  assert.equal(block, imports + snippet)
})

test('the README segments and trends example runs as written', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  // Every self-contained block (one that imports the package) after the quick start.
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .slice(1)
    .filter((b) => b.includes("from 'cxkit'"))
  assert.ok(blocks.some((b) => b.includes('npsBy(')), 'the README shows npsBy')
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-readme-'))
  const index = new URL('../index.js', import.meta.url).href
  const vegaLite = new URL('../vega-lite.js', import.meta.url).href
  blocks.forEach((code, i) => {
    const file = join(dir, `block${i}.mjs`)
    const source = code
      .replaceAll("from 'cxkit'", `from ${JSON.stringify(index)}`)
      .replaceAll("from 'cxkit/vega-lite'", `from ${JSON.stringify(vegaLite)}`)
    writeFileSync(file, source)
    execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: 'pipe' })
  })
})
