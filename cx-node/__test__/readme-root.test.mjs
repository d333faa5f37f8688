// The repository README's Node quick start runs as written (with `require('cxkit')` pointed at
// this package).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

test('root README js blocks run', () => {
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
  assert.ok(blocks.length > 0, 'the README has no js example')
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-readme-'))
  blocks.forEach((code, i) => {
    const file = join(dir, `block${i}.cjs`)
    writeFileSync(file, code.replaceAll("require('cxkit')", `require(${JSON.stringify(pkg)})`))
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8' })
    // The quick start ends with an error's code and details; the streaming block prints the
    // values its comments state; the retention block ends by printing the error it provokes;
    // the other blocks must run.
    if (i === 0) assert.match(out, /CX_OUT_OF_SCALE 2 11/)
    if (code.includes('new KeyedTally')) assert.equal(out, "50\n[ [ 'North', 2, 100 ], [ 'South', 1, -100 ] ]\n")
    if (code.includes('fitBgnbd')) assert.match(out, /CX_INVALID_ARGUMENT alive 0.9 at index 2/)
  })
})
