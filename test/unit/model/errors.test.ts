import * as assert from 'node:assert/strict';
import {
  AuthError,
  CancelledError,
  InsufficientBalanceError,
  MinimumRuntimeError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  SchemaError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../../src/core/api/errors';
import {
  briefReason,
  errorRowsFor,
  staleFromError,
  staleSuffix,
  switchedTeamMessage,
  teamDescription,
  viewDescription,
} from '../../../src/core/model/errors';
import type { ModelNode } from '../../../src/core/model/nodes';
import { MINUTE, NOW } from './fixtures';

const ENDPOINT = 'GET /api/deployments';

function summary(rows: readonly ModelNode[]): [string, string, string | undefined, string | undefined][] {
  return rows.map((row) => [row.kind, row.label, row.contextValue, row.command?.id]);
}

const RETRYABLE: [string, Error][] = [
  ['network', new NetworkError(ENDPOINT, 'ECONNREFUSED')],
  ['timeout', new TimeoutError(ENDPOINT, 30_000)],
  ['server', new ServerError(502, ENDPOINT, 'Bad gateway')],
  ['schema', new SchemaError(ENDPOINT, 'data.0.status', 'expected string')],
  ['rate limit', new RateLimitError(ENDPOINT, 60_000)],
  ['not found', new NotFoundError(ENDPOINT, undefined)],
  ['validation', new ValidationError(ENDPOINT, 'Team ID is required')],
  ['insufficient balance', new InsufficientBalanceError(ENDPOINT, 'Insufficient balance')],
  ['minimum runtime', new MinimumRuntimeError(ENDPOINT, 12, 20)],
];

describe('model/errors', () => {
  describe('errorRowsFor without data', () => {
    for (const [name, error] of RETRYABLE) {
      it(`${name}: the error, then Retry and Show Logs`, () => {
        const rows = errorRowsFor(error, { hasData: false, view: 'instances' });
        assert.deepEqual(summary(rows), [
          ['error', error.message, 'spheron.error+retry', undefined],
          ['message', 'Retry', undefined, 'spheron.refresh'],
          ['message', 'Show Logs', undefined, 'spheron.showLogs'],
        ]);
        assert.deepEqual(rows[1]?.command?.args, ['instances']);
        assert.equal(rows[0]?.icon.codicon, 'error');
        assert.match(rows[0]?.tooltip ?? '', /Request: GET \/api\/deployments/);
        assert.deepEqual(
          rows.map((r) => r.id),
          ['error:instances', 'error:instances:retry', 'error:instances:showLogs'],
        );
      });
    }

    for (const status of [401, 403] as const) {
      it(`auth ${status}: the error, then Sign In`, () => {
        const error = new AuthError(status, ENDPOINT, 'forbidden');
        const rows = errorRowsFor(error, { hasData: false, view: 'volumes' });
        assert.deepEqual(summary(rows), [
          ['error', error.message, 'spheron.error+signIn', undefined],
          ['message', 'Sign In', undefined, 'spheron.signIn'],
        ]);
        assert.equal(rows[0]?.icon.codicon, 'key');
      });
    }

    it('shows the first line of an unexpected error', () => {
      const rows = errorRowsFor(new Error('boom\n    at somewhere'), { hasData: false });
      assert.equal(rows[0]?.label, 'boom');
      assert.equal(rows[0]?.contextValue, 'spheron.error+retry');
      assert.equal(rows[1]?.command?.args, undefined);
    });

    it('copes with values that are not errors', () => {
      assert.equal(errorRowsFor(undefined, { hasData: false })[0]?.label, 'Something went wrong.');
      assert.equal(errorRowsFor('plain text', { hasData: false })[0]?.label, 'plain text');
    });

    it('shows nothing for a cancellation', () => {
      assert.deepEqual(errorRowsFor(new CancelledError(), { hasData: false }), []);
      const abort = new Error('aborted');
      abort.name = 'AbortError';
      assert.deepEqual(errorRowsFor(abort, { hasData: true }), []);
    });
  });

  describe('errorRowsFor with data already shown', () => {
    it('gives one stale row that retries', () => {
      const error = new NetworkError(ENDPOINT, 'ECONNRESET');
      const rows = errorRowsFor(error, {
        hasData: true,
        view: 'offers',
        nowMs: NOW,
        lastUpdatedMs: NOW - 3 * MINUTE,
      });
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.equal(row?.kind, 'error');
      // The reason leads, so a narrow side bar cuts the age rather than the why.
      assert.equal(row?.label, 'Not up to date (offline) — last updated 3 min ago');
      assert.equal(row?.description, error.message);
      assert.equal(row?.contextValue, 'spheron.error+retry+stale');
      assert.deepEqual(row?.command, { id: 'spheron.refresh', title: 'Retry', args: ['offers'] });
      assert.deepEqual(row?.icon, { codicon: 'warning', color: 'list.warningForeground' });
      assert.equal(row?.id, 'stale:offers');
    });

    it('asks to sign in when the key stopped working', () => {
      const [row] = errorRowsFor(new AuthError(401, ENDPOINT, undefined), {
        hasData: true,
        view: 'instances',
      });
      assert.equal(row?.contextValue, 'spheron.error+signIn+stale');
      assert.equal(row?.command?.id, 'spheron.signIn');
      assert.equal(row?.label, 'Not up to date (key rejected) — last update time unknown');
    });

    it('names the reason in a few words for the failures a user can act on', () => {
      assert.equal(briefReason(new AuthError(401, ENDPOINT, undefined)), 'key rejected');
      assert.equal(briefReason(new NetworkError(ENDPOINT, 'ENOTFOUND')), 'offline');
      assert.equal(staleFromError(new NetworkError(ENDPOINT, 'ECONNRESET'), NOW)?.brief, 'offline');
      assert.equal(briefReason(new Error('something else')), undefined);
    });
  });

  describe('stale markers', () => {
    const stale = { sinceMs: NOW - 3 * MINUTE, reason: 'Could not reach Spheron.' };

    it('suffixes the view description', () => {
      assert.equal(staleSuffix(stale, NOW), '(stale — last updated 3 min ago)');
      assert.equal(
        viewDescription('SPOT · H100 SXM5', stale, NOW),
        'SPOT · H100 SXM5 (stale — last updated 3 min ago)',
      );
      assert.equal(viewDescription('', stale, NOW), '(stale — last updated 3 min ago)');
      assert.equal(viewDescription('SPOT', undefined, NOW), 'SPOT');
    });

    it('derives a stale state from a failure', () => {
      assert.deepEqual(staleFromError(new TimeoutError(ENDPOINT, 30_000), NOW), {
        sinceMs: NOW,
        reason: 'Spheron did not answer within 30 s.',
        fix: 'retry',
        brief: 'timed out',
      });
      assert.equal(staleFromError(new AuthError(401, ENDPOINT, undefined), NOW)?.fix, 'signIn');
      assert.equal(staleFromError(new CancelledError(), NOW), undefined);
    });
  });
});

describe('team scoping text', () => {
  it("names the team in a view's description, before what the view counts", () => {
    assert.equal(teamDescription('staging', '1 running'), 'team staging · 1 running');
    assert.equal(teamDescription('staging', ''), 'team staging');
    assert.equal(teamDescription(undefined, '1 running'), '1 running');
    assert.equal(teamDescription('a\nb', ''), 'team a b');
  });

  it('confirms a switch with the team it now shows', () => {
    assert.equal(
      switchedTeamMessage('staging'),
      'Now showing team staging: its instances, volumes, SSH keys, balance and burn.',
    );
  });
});
