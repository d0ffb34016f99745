import * as assert from 'node:assert/strict';
import { createdOutcomeText } from '../../../src/core/deploy/deployOutcome';

describe('deploy/deployOutcome: the created outcome follows the status', () => {
  it('says it takes a few minutes only while the instance is not yet running', () => {
    const starting = /It usually takes a few minutes to start/;
    assert.match(createdOutcomeText('box', undefined), starting);
    assert.match(createdOutcomeText('box', 'deploying'), starting);
    assert.equal(
      createdOutcomeText('box', 'running'),
      'Deployment "box" is running. Connect to it from the Instances view.',
    );
    for (const status of ['running', 'stopped', 'failed', 'terminated', 'terminated-provider', 'frozen']) {
      assert.doesNotMatch(createdOutcomeText('box', status), starting, status);
    }
  });

  it('names what happened when it did not start or ended', () => {
    assert.equal(
      createdOutcomeText('box', 'failed'),
      'Deployment "box" failed to start; see why in the Instances view.',
    );
    assert.equal(
      createdOutcomeText('box', 'terminated-provider'),
      'Deployment "box" was created and has since been terminated by the provider.',
    );
    assert.equal(
      createdOutcomeText('box', 'terminated'),
      'Deployment "box" was created and has since been terminated.',
    );
    assert.match(createdOutcomeText('box', 'stopped'), /is now stopped/);
    assert.match(createdOutcomeText('box', 'frozen'), /reports it as "frozen"/);
  });
});
