import * as assert from 'node:assert/strict';
import {
  AuthError,
  InsufficientBalanceError,
  MinimumRuntimeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../../src/core/api/errors';
import { TERMINATE_ENDPOINT, errorFromResponse } from '../../../src/core/api/responseErrors';

function mapped(status: number, body: unknown, endpoint = 'POST /api/deployments', headers = {}) {
  return errorFromResponse({
    endpoint,
    status,
    headers,
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    nowMs: 0,
    secret: 'sk-secret-value',
  });
}

describe('error responses → typed errors (no server)', () => {
  it('maps 401 and 403 to AuthError and 404 to NotFoundError', () => {
    const unauthorised = mapped(401, { error: 'Unauthorized' });
    assert.ok(unauthorised instanceof AuthError);
    assert.equal(unauthorised.status, 401);
    const forbidden = mapped(403, '<html>Forbidden</html>');
    assert.ok(forbidden instanceof AuthError);
    assert.equal(forbidden.status, 403);
    assert.ok(mapped(404, { message: 'Deployment not found' }) instanceof NotFoundError);
  });

  it('takes the server message from message, error, error.message or error_message', () => {
    const read = (body: unknown) => (mapped(400, body) as ValidationError).serverMessage;
    assert.equal(read({ message: 'from message', error: 'from error' }), 'from message');
    assert.equal(
      read({ error: 'Team ID is required for authenticated deployments' }),
      'Team ID is required for authenticated deployments',
    );
    assert.equal(read({ error: { message: 'nested' } }), 'nested');
    assert.equal(read({ error_message: 'snake' }), 'snake');
    assert.equal(read('not json'), 'Spheron refused the request (HTTP 400).');
  });

  it('keeps the body as details, without the key if the server echoed it', () => {
    const error = mapped(400, {
      message: 'bad key sk-secret-value',
      code: 'X',
      extra: { key: 'sk-secret-value' },
    });
    assert.ok(error instanceof ValidationError);
    assert.equal(error.message, 'bad key [redacted]');
    assert.deepEqual(error.details, {
      message: 'bad key [redacted]',
      code: 'X',
      extra: { key: '[redacted]' },
    });
  });

  it('recognises insufficient balance by 402, by code, or by the words balance/credit', () => {
    assert.ok(
      mapped(402, { error: 'Insufficient balance', code: 'INSUFFICIENT_BALANCE' }) instanceof
        InsufficientBalanceError,
    );
    assert.ok(
      mapped(400, { error: 'Nope', code: 'INSUFFICIENT_BALANCE' }) instanceof InsufficientBalanceError,
    );
    assert.ok(mapped(400, { message: 'Not enough credits to deploy' }) instanceof InsufficientBalanceError);
    const plain = mapped(400, { message: 'Invalid credentials format' });
    assert.ok(plain instanceof ValidationError && !(plain instanceof InsufficientBalanceError));
  });

  it('maps the minimum-runtime refusal of a terminate', () => {
    const error = mapped(
      400,
      {
        error: 'Minimum runtime not met',
        message: 'Instance must run for at least 20 minutes. Time remaining: 3 minutes.',
        canTerminate: false,
        timeRemaining: 2.2,
        minimumRuntime: 20,
      },
      TERMINATE_ENDPOINT,
    );
    assert.ok(error instanceof MinimumRuntimeError);
    assert.equal(error.timeRemaining, 3);
    assert.equal(error.minimumRuntime, 20);
  });

  it('keeps "already terminated" a plain ValidationError carrying currentStatus', () => {
    const error = mapped(
      400,
      {
        error: 'Cannot terminate instance',
        message: 'Instance has already been terminated.',
        currentStatus: 'terminated',
      },
      TERMINATE_ENDPOINT,
    );
    assert.ok(error instanceof ValidationError);
    assert.equal(error.details['currentStatus'], 'terminated');
  });

  it('maps 429 with its delay and 5xx to ServerError', () => {
    const limited = mapped(429, { code: 'RATE_LIMIT_EXCEEDED', retryAfter: 9 }, 'GET /api/balance', {
      'retry-after': '4',
    });
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.retryAfterMs, 4_000);
    const bodyOnly = mapped(429, { retryAfter: 9 });
    assert.ok(bodyOnly instanceof RateLimitError);
    assert.equal(bodyOnly.retryAfterMs, 9_000);
    const server = mapped(502, '<html>Bad gateway</html>');
    assert.ok(server instanceof ServerError);
    assert.equal(server.status, 502);
  });
});
