// Live NPS from a web server: every survey response is pushed into a KeyedTally (one tally per
// region) as it arrives; the NPS overall and by region is computed from the summary on request,
// and the summary travels as bytes to be merged by another process (another server, a batch job
// in Python or Rust: the bytes are the same in every language).
//
//   node examples/node_stream.mjs [port]            # listens on 127.0.0.1 (default port 3000)
//   curl -X POST localhost:3000/responses -d '{"score": 9, "region": "North"}'
//   curl -X POST localhost:3000/responses -d '[{"score": 3, "region": "South"}, {"score": null}]'
//   curl localhost:3000/nps                         # {"overall": {...}, "byRegion": [...]}
//   curl localhost:3000/summary > part.cxkt         # the summary's bytes (KeyedTally.fromBytes)
//   curl -X POST localhost:3000/summary --data-binary @part.cxkt   # merge another process's
//
// `handler` has the (req, res) shape of an Express middleware, so `app.use(stream.handler)`
// serves the same routes from an Express app (mount it before any body parser, or let
// express.json() / express.raw() parse: the handler uses `req.body` when it is there). Only
// node:http is used here, so the example has no dependency.
import http from 'node:http'
import { pathToFileURL } from 'node:url'
// In a project: `import { KeyedTally, nps } from 'cxkit'`. Here, the package in this repository.
import { KeyedTally, nps } from '../cx-node/index.js'

/** Largest request body read (bytes). */
const MAX_BODY = 1 << 20

/**
 * A live summary of NPS responses by region and the HTTP handler that feeds and reads it.
 * `record` is the in-process path the handler takes for each response.
 */
export function createStream({ minBase = 30 } = {}) {
  const byRegion = new KeyedTally('nps', ['region'])

  /** Push one response `{ score, region, weight? }`: score 0-10 or null (no answer). */
  function record({ score = null, region = null, weight } = {}) {
    byRegion.push(score, region, weight)
  }

  /** The live NPS: overall (null before the first answer) and by region (npsBy's rows). */
  function snapshot() {
    const total = byRegion.total()
    return {
      overall: total.n > 0 ? nps(total) : null,
      byRegion: byRegion.segments('nps', { minBase }),
    }
  }

  async function handler(req, res) {
    try {
      const url = new URL(req.url, 'http://localhost')
      const route = `${req.method} ${url.pathname}`
      if (route === 'POST /responses') {
        const body = await jsonBody(req)
        const responses = Array.isArray(body) ? body : [body]
        // All or nothing: every response goes into a scratch summary first (cxkit's errors,
        // and napi's for a value of the wrong type), so that a bad one in a batch leaves the
        // live summary as it was.
        const check = new KeyedTally('nps', ['region'])
        for (const [i, r] of responses.entries()) {
          try {
            check.push(r?.score ?? null, r?.region ?? null, r?.weight)
          } catch (e) {
            throw Object.assign(e, { status: 400, response: i })
          }
        }
        for (const r of responses) record(r)
        return send(res, 200, { received: responses.length })
      }
      if (route === 'GET /nps') return send(res, 200, snapshot())
      if (route === 'GET /summary') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        return res.end(byRegion.toBytes())
      }
      if (route === 'POST /summary') {
        byRegion.merge(KeyedTally.fromBytes(await rawBody(req)))
        return send(res, 200, { groups: byRegion.size })
      }
      return send(res, 404, { error: 'NOT_FOUND', message: `no route ${route}` })
    } catch (e) {
      // cxkit's errors carry a stable code (CX_OUT_OF_SCALE, CX_UNREADABLE_SUMMARY, ...).
      const status = e.status ?? (String(e.code).startsWith('CX_') ? 400 : 500)
      return send(res, status, { error: e.code ?? 'ERROR', message: e.message, response: e.response })
    }
  }

  return { byRegion, record, snapshot, handler }
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** The request body as bytes (`req.body` when a framework has read it already). */
async function rawBody(req) {
  if (Buffer.isBuffer(req.body)) return req.body
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw Object.assign(new Error(`body over ${MAX_BODY} bytes`), { status: 413, code: 'TOO_LARGE' })
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

async function jsonBody(req) {
  if (req.body !== undefined && !Buffer.isBuffer(req.body)) return req.body
  try {
    return JSON.parse((await rawBody(req)).toString('utf8'))
  } catch (e) {
    if (e.status) throw e
    throw Object.assign(new Error(`the body is not JSON: ${e.message}`), { status: 400, code: 'BAD_JSON' })
  }
}

/** Serve `createStream().handler` on 127.0.0.1:`port` (0: any free port). */
export function listen(port = 3000, options) {
  const stream = createStream(options)
  const server = http.createServer(stream.handler)
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, stream })))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { server } = await listen(Number(process.argv[2] ?? 3000))
  const { port } = server.address()
  console.log(`live NPS on http://127.0.0.1:${port}: POST /responses, GET /nps, GET /summary, POST /summary`)
}
