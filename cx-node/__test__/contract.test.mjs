// The cross-language contract, from the Node side: every entry point of the Rust core's
// contract is an exported function named in camelCase, its declarations (api.d.ts) list the
// core's options in camelCase with their accepted strings, and the defaults the core documents
// are the ones it applies (a call with every default spelled out equals a call with none).
// The Python suite checks the same contract from its side (cx-python/tests/test_contract.py).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import * as cx from '../index.js'

const contract = JSON.parse(cx.contract())
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const declarations = readFileSync(new URL('../api.d.ts', import.meta.url), 'utf8')
const entries = contract.entries

test('every entry point is an exported function, in camelCase', () => {
  assert.ok(entries.length >= 14)
  for (const e of entries) {
    assert.equal(typeof cx[camel(e.name)], 'function', e.name)
    assert.equal(cx[camel(e.name)].name, camel(e.name))
  }
})

test('the declarations list every option in camelCase, with its accepted strings', () => {
  for (const e of entries) {
    const fn = camel(e.name)
    const options = `${fn[0].toUpperCase()}${fn.slice(1)}Options`
    const body = declarations.match(new RegExp(`export interface ${options} \\{([\\s\\S]*?)\\n\\}`))
    assert.ok(body, options)
    for (const o of e.options) {
      assert.match(body[1], new RegExp(`\\n  ${camel(o.name)}${o.required ? '' : '\\?'}: `), `${options}.${camel(o.name)}`)
      if (o.choices.length) {
        const alias = declarations.match(new RegExp(`export type ${o.choice} = (.*)`))
        assert.ok(alias, o.choice)
        for (const c of [...o.choices, ...o.accepted]) assert.ok(alias[1].includes(JSON.stringify(c)), `${o.choice} ${c}`)
      }
    }
    assert.match(declarations, new RegExp(`export declare function ${fn}[<(]`), fn)
  }
})

test('a call with every default spelled out equals one with none', () => {
  const scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0, 5, 8]
  const groups = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']
  const retained = [1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0]
  const spend = [30, 25, 20, 12, 18, 10, 8, 40, 22, 5, 9, 15]
  const calls = {
    nps: [[scores], {}],
    npsDifference: [[scores, [...scores].reverse()], {}],
    topBox: [[scores], { scale: 'nps' }],
    bottomBox: [[scores], { scale: 'nps' }],
    csat: [[[1, 2, 3, 4, 5, 5]], {}],
    mean: [[scores], { scale: 'nps' }],
    ces: [[[1, 7, 6, 5]], {}],
    distribution: [[scores], { scale: 'nps' }],
    npsBy: [[scores, groups], {}],
    loyaltyLift: [[retained], { score: scores }],
    meanLift: [[spend], { score: scores }],
    loyaltyCurve: [[scores, retained], {}],
    revenueImpact: [[retained], { score: scores, customers: 1000, revenuePerCustomer: 50 }],
    keyDrivers: [[[scores, spend], retained], {}],
    jointTally: [[retained], { score: scores }],
  }
  // A summary is compared by its bytes.
  const plain = (r) => (r instanceof cx.JointTally ? r.toBytes() : r)
  for (const [name, [args, given]] of Object.entries(calls)) {
    const entry = contract.entries.find((e) => camel(e.name) === name)
    const defaults = Object.fromEntries(entry.options.filter((o) => !o.required).map((o) => [camel(o.name), o.default ?? undefined]))
    assert.deepEqual(plain(cx[name](...args, { ...given, ...defaults })), plain(cx[name](...args, given)), name)
  }
  assert.equal(Object.keys(calls).length, entries.filter((e) => e.module === 'loyalty' || e.module === 'drivers').length + 9)
})

test('option names are camelCase in, and errors name them so', () => {
  assert.throws(() => cx.npsBy([9, 3], ['a', 'b'], { minBase: -1 }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'minBase' && /`minBase`/.test(e.message))
  assert.throws(() => cx.nps([9], { levle: 0.9 }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'options' && /level/.test(e.message))
  assert.throws(() => cx.nps([9], { level: 'high' }), (e) => e.code === 'CX_WRONG_TYPE' && e.argument === 'level')
  assert.throws(() => cx.revenueImpact([1, 0], { exposure: [1, 0], customers: 10 }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'revenuePerCustomer' && /`revenuePerCustomer`/.test(e.message))
  assert.throws(() => cx.keyDrivers([[1, 2, 3]], [1, 3, 2], { resamples: 2.5 }), (e) => e.code === 'CX_INVALID_ARGUMENT' && e.argument === 'resamples')
})

test('a value of no option type (BigInt, symbol, function) is CX_WRONG_TYPE naming the option, never text', () => {
  for (const [value, what] of [[1n, 'a BigInt'], [Symbol('x'), 'a symbol'], [() => 1, 'a function']]) {
    assert.throws(() => cx.nps([9, 1], { level: value }), (e) => e.code === 'CX_WRONG_TYPE' && e.argument === 'level' && e.value.startsWith(what), what)
  }
})

test('every error code of the core table reaches JavaScript as CX_ + code', () => {
  assert.ok(contract.errors.includes('wrong_type'))
  for (const code of contract.errors) assert.match(code, /^[a-z_]+$/)
  assert.throws(() => cx.nps([11]), (e) => e.code === 'CX_OUT_OF_SCALE')
})

test('a panic inside Rust is a CX_INTERNAL error naming itself a bug, and Node goes on', () => {
  assert.throws(() => cx._panicForTests(), (e) => e instanceof Error && e.code === 'CX_INTERNAL' && /a bug in cxkit/.test(e.message) && /deliberate panic/.test(e.message))
  assert.equal(cx.nps([9, 9, 3, 7]).estimate, 25)
})
