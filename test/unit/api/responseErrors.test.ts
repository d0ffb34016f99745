import * as assert from 'node:assert/strict';
import {
  AuthError,
  BlockedError,
  InsufficientBalanceError,
  MinimumRuntimeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../../src/core/api/errors';
import { TERMINATE_ENDPOINT, envelopeFailure, errorFromResponse } from '../../../src/core/api/responseErrors';

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
    const forbidden = mapped(403, { error: 'Forbidden: this key cannot deploy' });
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
    assert.equal(read(''), 'Spheron refused the request (HTTP 400).');
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

  describe('plain-text and HTML bodies', () => {
    it('gives the first line of a plain-text refusal', () => {
      const error = mapped(400, 'Team ID is required for authenticated deployments\nat line 2');
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, 'Team ID is required for authenticated deployments');
    });

    it("gives an HTML page's title, else its first line of text, with entities decoded", () => {
      const titled = mapped(
        502,
        '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>x</body></html>',
      );
      assert.ok(titled instanceof ServerError);
      assert.equal(titled.serverMessage, '502 Bad Gateway');
      const untitled = mapped(503, '<html><body>\n<h1>Down &amp; out</h1><p>later</p></body></html>');
      assert.equal((untitled as ServerError).serverMessage, 'Down & out');
    });

    it('caps the line and removes the key if the body echoed it', () => {
      const error = mapped(400, `sk-secret-value ${'y'.repeat(1000)}`);
      assert.ok(error instanceof ValidationError);
      assert.ok(error.message.length <= 300);
      assert.ok(error.message.startsWith('[redacted] yyy'));
      assert.ok(error.message.endsWith('…'));
    });

    it('says a non-JSON 403 is a firewall, not the key', () => {
      const error = mapped(403, '<html><head><title>403 Forbidden</title></head></html>');
      assert.ok(error instanceof BlockedError);
      assert.ok(!(error instanceof AuthError));
      assert.equal(
        error.message,
        'A firewall in front of Spheron refused the request (HTTP 403: 403 Forbidden). This is not about your API key; if it keeps happening, tell Spheron support.',
      );
    });
  });

  describe('200 answers that say success: false', () => {
    const envelope = (body: unknown, endpoint = 'DELETE /api/ssh-keys/{id}') =>
      envelopeFailure({
        endpoint,
        status: 200,
        headers: {},
        bodyText: JSON.stringify(body),
        nowMs: 0,
        secret: 'sk-secret-value',
      });

    it('are failures with the server’s words', () => {
      const error = envelope({ success: false, error: 'Key is in use by a deployment' });
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, 'Key is in use by a deployment');
      assert.equal(
        envelope({ success: false })?.message,
        'Spheron reported that the request failed (success: false).',
      );
    });

    it('keep the minimum-runtime refusal typed on terminate', () => {
      const error = envelope({ success: false, error: 'Too early', timeRemaining: 12 }, TERMINATE_ENDPOINT);
      assert.ok(error instanceof MinimumRuntimeError);
      assert.equal(error.timeRemaining, 12);
    });

    it('leave success: true and other bodies alone', () => {
      assert.equal(envelope({ success: true }), undefined);
      assert.equal(envelope({ message: 'deleted' }), undefined);
      assert.equal(envelope([{ success: false }]), undefined);
    });
  });
});
