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
    // each block ends by printing the error it provokes
    assert.match(out, /CX_OUT_OF_SCALE 2 11|CX_INVALID_ARGUMENT alive 0.9 at index 2/)
  })
})
