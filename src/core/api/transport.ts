// The HTTP layer the client talks through. The real one (undiciTransport.ts) is loaded on the first
// request only: esbuild turns that module into dist/http.js, so activation never loads undici.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
}

/**
 * Sends one request and reads the whole body. Rejects on connection failures (ideally with a
 * `code` such as `ECONNREFUSED`) and when `signal` aborts; never rejects because of a status code.
 */
export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections. */
  close?(): Promise<void>;
}

export type LoadTransport = () => Promise<Transport>;

/** Loads the undici transport. The import path must stay `./undiciTransport` for esbuild's lazy chunk plugin. */
export async function loadUndiciTransport(): Promise<Transport> {
  const { createUndiciTransport } = await import('./undiciTransport');
  return createUndiciTransport();
}
