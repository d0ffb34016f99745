import * as assert from 'node:assert/strict';
import type { RestoredCreate } from '../../../src/core/forms/exactlyOnce';
import { createdOutcome, resumeUnanswered } from '../../../src/core/forms/formRestore';
import type { FormSessionRecord } from '../../../src/core/forms/formSessions';

function record(patch: Partial<FormSessionRecord> = {}): FormSessionRecord {
  return { sessionId: 's1', form: 'volume', savedAtMs: 0, ...patch };
}

/** Records what the framework asks the registry to look for. */
function resumes() {
  const calls: { sessionId: string; fallback: RestoredCreate | undefined }[] = [];
  return {
    calls,
    resume(sessionId: string, fallback?: RestoredCreate) {
      calls.push({ sessionId, fallback });
      return undefined;
    },
  };
}

describe('restoring a form session after a reload', () => {
  it('shows a recorded create as created, and nothing else as an outcome', () => {
    assert.deepEqual(createdOutcome(record({ created: { id: 'v1', name: 'data' } })), {
      kind: 'created',
      id: 'v1',
      name: 'data',
    });
    assert.equal(createdOutcome(record({ pending: { name: 'data', startedAtMs: 5 } })), undefined);
    assert.equal(createdOutcome(undefined), undefined);
  });

  it('looks for an unanswered create in the current team, and resumes from the ledger alone otherwise', async () => {
    const registry = resumes();
    let teamAsked = 0;
    const teamId = () => {
      teamAsked += 1;
      return Promise.resolve('team-a');
    };
    await resumeUnanswered(registry, 's1', record({ pending: { name: 'data', startedAtMs: 5 } }), teamId);
    await resumeUnanswered(registry, 's2', record(), teamId);
    await resumeUnanswered(registry, 's3', undefined, () => Promise.resolve(undefined));
    assert.deepEqual(registry.calls, [
      { sessionId: 's1', fallback: { name: 'data', teamId: 'team-a', startedAtMs: 5 } },
      { sessionId: 's2', fallback: undefined },
      { sessionId: 's3', fallback: undefined },
    ]);
    assert.equal(teamAsked, 1, 'the team is asked only for a pending create');
  });
});
