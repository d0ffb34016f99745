// The only module that imports undici. esbuild builds it as dist/http.js and transport.ts loads it
// with a dynamic import on the first request (and the notebook kernel client for its WebSocket);
// never import it statically.
import { Agent, request, WebSocket } from 'undici';
import type { Dispatcher } from 'undici';
import { RESPONSE_TOO_LARGE_CODE } from './transport';
import type { Transport, TransportRequest, TransportResponse } from './transport';

/** Stops reading and closes the connection; the abort this causes is expected, not an error. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function tooLarge(limitBytes: number): Error {
  return Object.assign(new Error(`response body larger than ${limitBytes} bytes`), {
    code: RESPONSE_TOO_LARGE_CODE,
  });
}

/** The subset of a WHATWG WebSocket the kernel client uses (src/core/jupyter/kernelClient.ts). */
export interface PlainWebSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

/** undici's WebSocket (the unit tier's Node 20 has no global one), with request headers. */
export function openWebSocket(url: string, headers: Readonly<Record<string, string>>): PlainWebSocket {
  return new WebSocket(url, { headers: { ...headers } });
}

export function createUndiciTransport(): Transport {
  // Our own per-request timeout (an abort signal) bounds every request, so undici's header and body
  // timeouts are left at their generous defaults.
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  return {
    async request(req: TransportRequest): Promise<TransportResponse> {
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        dispatcher,
      });
      // Streamed and counted: a huge answer is never held whole in memory.
      const limit = req.maxBodyBytes;
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        discard(response.body);
        throw tooLarge(limit);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        const bytes = chunk as Buffer;
        size += bytes.length;
        if (size > limit) {
          discard(response.body);
          throw tooLarge(limit);
        }
        chunks.push(bytes);
      }
      const bodyText = Buffer.concat(chunks, size).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) {
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
      }
      return { status: response.statusCode, headers, bodyText };
    },
    close: () => dispatcher.close(),
  };
}
