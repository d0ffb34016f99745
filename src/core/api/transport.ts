// The HTTP layer the client talks through. The real one (undiciTransport.ts) is loaded on the first
// request only: esbuild turns that module into dist/http.js, so activation never loads undici.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface TransportRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /** Reading stops beyond this many body bytes, rejecting with code RESPONSE_TOO_LARGE_CODE. */
  readonly maxBodyBytes: number;
}

/** The `code` of a transport rejection for a body larger than `maxBodyBytes`. */
export const RESPONSE_TOO_LARGE_CODE = 'ERESPONSETOOLARGE';

/** 16 MB: a 6,000-offer catalogue page set is about 3.6 MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface TransportResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
}

/**
 * Sends one request and reads the body, up to `maxBodyBytes`. Rejects on connection failures (ideally with a
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
