// The only module that imports undici. esbuild builds it as dist/http.js and transport.ts loads it
// with a dynamic import on the first request; never import it statically.
import { Agent, request } from 'undici';
import type { Transport, TransportRequest, TransportResponse } from './transport';

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
      const bodyText = await response.body.text();
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
