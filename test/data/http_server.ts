// A local HTTP server for download tests (not a test file itself): no test needs the internet.
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Writable} from 'node:stream';

/** A progress sink that keeps what it is told (not a TTY: sparse lines). */
export function sink(): Writable & {text: () => string} {
  const chunks: string[] = [];
  const w = new Writable({write(c, _e, cb) { chunks.push(String(c)); cb(); }}) as Writable & {text: () => string};
  w.text = () => chunks.join('');
  return w;
}

export interface TestServer {
  url: string;
  requests: IncomingHttpHeaders[];
  /** When set, the next response is cut after this many body bytes (then cleared). */
  cutNextAfter?: number;
  close(): Promise<void>;
}

/** Serves `body` at `path` with Range support, like a static file server; /moved redirects there. */
export async function serve(body: Buffer, path = '/file.bin'): Promise<TestServer> {
  const state: {requests: IncomingHttpHeaders[]; cutNextAfter?: number} = {requests: []};
  const server: Server = createServer((req, res) => {
    state.requests.push(req.headers);
    if (req.url === '/moved') { res.writeHead(302, {location: path}); res.end(); return; }
    if (req.url !== path) { res.writeHead(404); res.end(); return; }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) { res.writeHead(416, {'content-range': `bytes */${body.length}`}); res.end(); return; }
      res.writeHead(206, {'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`});
    } else {
      res.writeHead(200, {'content-length': body.length});
    }
    const rest = body.subarray(start);
    const cut = state.cutNextAfter;
    if (cut !== undefined) {
      state.cutNextAfter = undefined;
      // Send part of the body, then drop the connection as a flaky network would.
      res.write(rest.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(rest);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() { return state.requests; },
    set cutNextAfter(n: number | undefined) { state.cutNextAfter = n; },
    get cutNextAfter() { return state.cutNextAfter; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

