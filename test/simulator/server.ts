// The HTTP layer: node:http on 127.0.0.1. Public requests go WAF check → rate limits → auth → JSON body →
// handler, with faults applied before or after; /__sim/* admin requests skip all of that and the log.
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatorConfigError } from './config';
import type { SimCore } from './core';
import { FaultError } from './faults';
import type { ApiResponse } from './http';
import { SimulatorRequestError, fail, isRecord, ok } from './http';
import type { RouteMatch } from './routes';
import { ROUTES, matchRoute } from './routes';
import type { Fault } from './types';
import { balanceToWire } from './wire';
import { realWorldError } from './realWorld';

const MAX_BODY_BYTES = 1024 * 1024;
const BAD_JSON_TEXT = '{"data":[{"gpuType":"H100_SXM5","offers":[{"provider":"data-cr';
/** What Cloudflare's WAF answers for a banned browser signature (the live API's 403 for some User-Agents). */
const WAF_BLOCK_TEXT = 'error code: 1010';

type Answer =
  | { readonly kind: 'drop' }
  | {
      readonly kind: 'send';
      readonly status: number;
      readonly body: Buffer;
      readonly contentType: string;
      readonly headers: Readonly<Record<string, string>>;
    };

function toAnswer(response: ApiResponse): Answer {
  if (response.text !== undefined) {
    return {
      kind: 'send',
      status: response.status,
      body: Buffer.from(response.text),
      contentType: 'text/plain; charset=utf-8',
      headers: response.headers ?? {},
    };
  }
  return {
    kind: 'send',
    status: response.status,
    body: response.rawJson ?? Buffer.from(JSON.stringify(response.body ?? null)),
    contentType: 'application/json; charset=utf-8',
    headers: response.headers ?? {},
  };
}

function faultStatusResponse(fault: Fault & { status: number }): ApiResponse {
  const reason = STATUS_CODES[fault.status] ?? 'Error';
  if (fault.text !== undefined) {
    return { status: fault.status, text: fault.text, headers: fault.headers ?? {} };
  }
  if (fault.status === 429) {
    return {
      status: 429,
      body: fault.body ?? {
        error: 'Too many requests',
        code: 'RATE_LIMIT_EXCEEDED',
        message: 'Too many requests, please try again later.',
        retryAfter: 1,
      },
      headers: fault.headers ?? { 'Retry-After': '1' },
    };
  }
  return {
    status: fault.status,
    body: fault.body ?? { error: reason, message: `Simulated fault: ${reason}` },
    headers: fault.headers ?? {},
  };
}

/** The answer a fault gives; `handled` is the real handler's answer when it ran first. */
function applyFault(fault: Fault, handled: Answer | undefined): Answer | undefined {
  if (fault.drop) {
    return { kind: 'drop' };
  }
  if (fault.status !== undefined) {
    return toAnswer(faultStatusResponse({ ...fault, status: fault.status }));
  }
  if (fault.badJson) {
    const full = handled?.kind === 'send' ? handled.body : Buffer.alloc(0);
    const truncated =
      full.length >= 2 ? full.subarray(0, Math.floor(full.length / 2)) : Buffer.from(BAD_JSON_TEXT);
    return toAnswer({ status: 200, rawJson: truncated });
  }
  if (fault.wrongShape) {
    return toAnswer({ status: 200, body: fault.body ?? { data: 'nope' } });
  }
  return handled;
}

class Timers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}

interface AdminRoute {
  readonly method: string;
  readonly pattern: string;
  readonly handler: (core: SimCore, body: unknown, params: Record<string, string>) => ApiResponse;
}

const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'GET', pattern: '/__sim/health', handler: () => ok({ ok: true }) },
  {
    method: 'POST',
    pattern: '/__sim/reset',
    handler: (core) => {
      core.reset();
      return ok({ ok: true });
    },
  },
  { method: 'GET', pattern: '/__sim/clock', handler: (core) => ok({ nowMs: core.nowMs() }) },
  {
    method: 'POST',
    pattern: '/__sim/clock/advance',
    handler: (core, body) =>
      ok({ nowMs: core.advanceClock(isRecord(body) ? (body.seconds as number) : NaN) }),
  },
  {
    method: 'POST',
    pattern: '/__sim/config',
    handler: (core, body) => ok({ ok: true, config: core.configure(body) }),
  },
  {
    method: 'POST',
    pattern: '/__sim/faults',
    handler: (core, body) => {
      core.injectFault(body);
      return ok({ ok: true, active: core.faults.size });
    },
  },
  {
    method: 'DELETE',
    pattern: '/__sim/faults',
    handler: (core) => {
      core.faults.clear();
      return ok({ ok: true });
    },
  },
  {
    method: 'POST',
    pattern: '/__sim/deployments/:id/status',
    handler: (core, body, params) =>
      ok(core.setDeploymentStatus(params.id, isRecord(body) ? body.status : undefined)),
  },
  {
    method: 'POST',
    pattern: '/__sim/kubernetes/:id/fault',
    handler: (core, body, params) =>
      ok(core.setClusterFault(params.id, isRecord(body) ? (body.fault ?? null) : undefined)),
  },
  {
    method: 'POST',
    pattern: '/__sim/kubernetes/:id/kubeconfig',
    handler: (core, body, params) =>
      ok(core.setClusterKubeconfig(params.id, isRecord(body) ? (body.kubeconfig ?? null) : undefined)),
  },
  {
    method: 'POST',
    pattern: '/__sim/balance',
    handler: (core, body) => {
      if (!isRecord(body)) {
        throw new SimulatorRequestError(400, 'body must be {teamId?, balance}');
      }
      core.setBalance(body.balance, body.teamId);
      return ok(balanceToWire(core.state.teams));
    },
  },
  { method: 'GET', pattern: '/__sim/requests', handler: (core) => ok(core.requestLog.snapshot()) },
  {
    method: 'DELETE',
    pattern: '/__sim/requests',
    handler: (core) => {
      core.requestLog.reset();
      return ok({ ok: true });
    },
  },
  { method: 'GET', pattern: '/__sim/state', handler: (core) => ok(core.snapshot()) },
];

function bearerKey(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function parseJsonBody(text: string): ParsedBody {
  if (text.trim() === '') {
    return { ok: true, value: undefined };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const INVALID_JSON = fail(400, 'Bad Request', 'Invalid JSON in request body');

export class SimServer {
  private readonly server: Server;
  private readonly timers = new Timers();
  private closing = false;

  constructor(private readonly core: SimCore) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        // handle() answers its own failures; this only guards against a broken socket.
        res.destroy();
      });
    });
    this.server.on('clientError', (_error, socket) => {
      socket.destroy();
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    this.closing = true;
    this.timers.cancelAll();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      this.send(
        res,
        toAnswer(
          fail(
            tooLarge ? 413 : 400,
            tooLarge ? 'Payload Too Large' : 'Bad Request',
            'Unreadable request body',
          ),
        ),
      );
      return;
    }
    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
      this.send(res, toAnswer(this.admin(method, url.pathname, text)));
      return;
    }

    const match = matchRoute(ROUTES, method, url.pathname);
    const routeKey = match ? `${method} ${match.route.pattern}` : `${method} ${url.pathname}`;
    const fault = match ? this.core.faults.take(routeKey) : undefined;
    let answer: Answer | undefined;
    this.core.runDueCommits();
    if (fault?.commitDelaySeconds !== undefined && match) {
      this.commitLater(match, url, text, fault.commitDelaySeconds);
      answer = applyFault(fault, undefined);
    } else if (fault && !fault.afterHandler) {
      if (fault.latencyMs) {
        await this.timers.sleep(fault.latencyMs);
      }
      answer = applyFault(fault, undefined);
    }
    if (!answer) {
      const response = this.api(req, method, url, match, text);
      answer = toAnswer(this.core.config.profile === 'real-world' ? realWorldError(response) : response);
      if (fault?.afterHandler) {
        if (fault.latencyMs) {
          await this.timers.sleep(fault.latencyMs);
        }
        answer = applyFault(fault, answer) ?? answer;
      }
    }
    this.core.requestLog.record({
      method,
      path: url.pathname + url.search,
      route: routeKey,
      status: answer.kind === 'send' ? answer.status : 0,
      atMs: this.core.nowMs(),
    });
    this.send(res, answer);
  }

  /** The handler of a request answered by a fault, run `seconds` later on the simulated clock. */
  private commitLater(
    match: RouteMatch<(typeof ROUTES)[number]>,
    url: URL,
    text: string,
    seconds: number,
  ): void {
    const body = parseJsonBody(text);
    if (!body.ok) {
      return;
    }
    this.core.commitAt(this.core.nowMs() + seconds * 1000, (nowMs) => {
      this.core.state.settle(nowMs);
      match.route.handler(this.core, {
        params: match.params,
        query: url.searchParams,
        body: body.value,
        nowMs,
      });
    });
  }

  private api(
    req: IncomingMessage,
    method: string,
    url: URL,
    match: RouteMatch<(typeof ROUTES)[number]> | undefined,
    text: string,
  ): ApiResponse {
    try {
      const core = this.core;
      const config = core.config;
      const userAgent = req.headers['user-agent'];
      if (config.requireUserAgent && (!userAgent || /^Python-urllib\//i.test(userAgent))) {
        return { status: 403, text: WAF_BLOCK_TEXT };
      }
      const nowMs = core.nowMs();
      const presented = bearerKey(req);
      const apiKey = presented !== undefined && config.apiKeys.includes(presented) ? presented : undefined;
      // General requests count per IP whatever the key (contract §6.3: 100 / 15 min / IP);
      // creates count per user.
      const ip = `ip:${req.socket.remoteAddress ?? 'unknown'}`;
      const { general, creates, windowSeconds } = config.rateLimit;
      const checks: [string, number, string][] = [['general', general, ip]];
      if (method === 'POST' && match?.route.pattern === '/api/deployments') {
        checks.push(['creates', creates, apiKey ? `key:${apiKey}` : ip]);
      }
      for (const [bucket, limit, client] of checks) {
        const decision = core.rateLimiter.hit(bucket, client, limit, windowSeconds, nowMs);
        if (!decision.allowed) {
          return {
            status: 429,
            body: {
              error: 'Too many requests',
              code: 'RATE_LIMIT_EXCEEDED',
              message: 'Too many requests, please try again later.',
              retryAfter: decision.retryAfterSeconds,
            },
            headers: { 'Retry-After': String(decision.retryAfterSeconds) },
          };
        }
      }
      if (!match) {
        return fail(404, 'Not Found', `Cannot ${method} ${url.pathname}`);
      }
      if (match.route.auth && !apiKey) {
        return fail(
          401,
          'Unauthorized',
          presented === undefined ? 'Missing API key: send Authorization: Bearer <key>' : 'Invalid API key',
        );
      }
      const body = parseJsonBody(text);
      if (!body.ok) {
        return INVALID_JSON;
      }
      core.state.settle(nowMs);
      return match.route.handler(core, {
        params: match.params,
        query: url.searchParams,
        body: body.value,
        nowMs,
      });
    } catch (error) {
      return fail(500, 'Internal Server Error', error instanceof Error ? error.message : String(error));
    }
  }

  private admin(method: string, pathname: string, text: string): ApiResponse {
    const match = matchRoute(ADMIN_ROUTES, method, pathname);
    if (!match) {
      return fail(404, 'Not Found', `Cannot ${method} ${pathname}`);
    }
    const body = parseJsonBody(text);
    if (!body.ok) {
      return INVALID_JSON;
    }
    try {
      return match.route.handler(this.core, body.value, match.params);
    } catch (error) {
      if (error instanceof SimulatorRequestError) {
        return fail(error.status, STATUS_CODES[error.status] ?? 'Error', error.message);
      }
      if (error instanceof SimulatorConfigError || error instanceof FaultError) {
        return fail(400, 'Bad Request', error.message);
      }
      return fail(500, 'Internal Server Error', error instanceof Error ? error.message : String(error));
    }
  }

  private send(res: ServerResponse, answer: Answer): void {
    if (this.closing || res.destroyed || res.socket?.destroyed) {
      return;
    }
    if (answer.kind === 'drop') {
      res.socket?.destroy();
      res.destroy();
      return;
    }
    // 204 and 304 carry no body and no Content-Length (RFC 9110); undici rejects one that does.
    if (answer.status === 204 || answer.status === 304) {
      res.writeHead(answer.status, { ...answer.headers });
      res.end();
      return;
    }
    res.writeHead(answer.status, {
      'Content-Type': answer.contentType,
      'Content-Length': answer.body.length,
      ...answer.headers,
    });
    res.end(answer.body);
  }
}
