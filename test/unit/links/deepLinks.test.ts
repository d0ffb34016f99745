import * as assert from 'node:assert/strict';
import type { TeamBalance } from '../../../src/core/domain/types';
import {
  DeepLinkError,
  instanceLink,
  instanceLinkConfirmation,
  instanceLinkRefusal,
  linkTeam,
  parseDeepLink,
} from '../../../src/core/links/deepLinks';
import { deployment } from '../model/fixtures';

const DEPLOYMENT_ID = '66f1c2a9e4b0d3a1f2c3d4e5';
const TEAM_ID = '66f1c2a9e4b0d3a1f2c30001';

function refusal(path: string, query: string): string {
  try {
    parseDeepLink(path, query);
  } catch (error) {
    assert.ok(error instanceof DeepLinkError, String(error));
    return error.message;
  }
  assert.fail(`${path}?${query} was accepted`);
}

const research: TeamBalance = {
  teamId: TEAM_ID,
  teamName: 'research',
  balance: 250,
  isCurrentTeam: true,
  role: 'owner',
};
const staging: TeamBalance = {
  ...research,
  teamId: 'team-staging',
  teamName: 'staging',
  isCurrentTeam: false,
};

describe('deep links', () => {
  describe('parseDeepLink', () => {
    it('reads connect, open-jupyter and deploy links', () => {
      assert.deepEqual(parseDeepLink('/connect', `deployment=${DEPLOYMENT_ID}&team=${TEAM_ID}`), {
        action: 'connect',
        deploymentId: DEPLOYMENT_ID,
        teamId: TEAM_ID,
      });
      assert.deepEqual(parseDeepLink('/open-jupyter', `deployment=${DEPLOYMENT_ID}`), {
        action: 'open-jupyter',
        deploymentId: DEPLOYMENT_ID,
      });
      assert.deepEqual(parseDeepLink('/deploy', 'offer=es-h100-8-x1%3A%3Aspot&provider=voltage-park'), {
        action: 'deploy',
        offerId: 'es-h100-8-x1::spot',
        provider: 'voltage-park',
      });
    });

    it('accepts a trailing slash on the path', () => {
      assert.equal(parseDeepLink('/connect/', `deployment=${DEPLOYMENT_ID}`).action, 'connect');
    });

    it('refuses an unknown path and names the ones it knows', () => {
      assert.match(
        refusal('/terminate', `deployment=${DEPLOYMENT_ID}`),
        /“terminate”.*connect, open-jupyter, deploy/,
      );
      assert.match(refusal('', ''), /“\/”/);
    });

    it('refuses an unknown parameter and lists the ones the path takes', () => {
      assert.match(
        refusal('/connect', `deployment=${DEPLOYMENT_ID}&autoTerminate=1`),
        /unknown parameter “autoTerminate”.*deployment, team/,
      );
      assert.match(refusal('/deploy', 'offer=a&provider=b&deployment=c'), /unknown parameter “deployment”/);
    });

    it('refuses a link that carries a key, without repeating the key', () => {
      const message = refusal('/connect', `deployment=${DEPLOYMENT_ID}&apiKey=sk-live-123456`);
      assert.match(message, /never carry an API key/);
      assert.doesNotMatch(message, /sk-live/);
    });

    it('refuses missing, empty, repeated and malformed values', () => {
      assert.match(refusal('/connect', ''), /lacks “deployment”/);
      assert.match(refusal('/deploy', 'offer=x'), /lacks “provider”/);
      assert.match(refusal('/connect', 'deployment='), /empty “deployment”/);
      assert.match(refusal('/connect', 'deployment=a&deployment=b'), /“deployment” twice/);
      assert.match(refusal('/connect', 'deployment=..%2F..%2Fetc'), /not a Spheron id/);
      assert.match(refusal('/connect', 'deployment=a%20b'), /not a Spheron id/);
      assert.match(refusal('/connect', `deployment=${'a'.repeat(201)}`), /not a Spheron id/);
      assert.match(refusal('/deploy', 'offer=x&provider=voltage%3Apark'), /“provider” is not a Spheron id/);
    });

    it('never lets a control character from the link into the message', () => {
      const message = refusal('/connect', 'deployment=a%0A%5Binfo%5D%20forged');
      assert.doesNotMatch(message, /\n/);
    });
  });

  describe('instanceLink', () => {
    it('builds a link that parses back to the same instance and team', () => {
      const link = instanceLink({
        scheme: 'vscode',
        extensionId: 'spheron-community.spheron-vscode',
        deploymentId: DEPLOYMENT_ID,
        teamId: TEAM_ID,
      });
      assert.equal(
        link,
        `vscode://spheron-community.spheron-vscode/connect?deployment=${DEPLOYMENT_ID}&team=${TEAM_ID}`,
      );
      const url = new URL(link);
      assert.deepEqual(parseDeepLink(url.pathname, url.search.slice(1)), {
        action: 'connect',
        deploymentId: DEPLOYMENT_ID,
        teamId: TEAM_ID,
      });
    });
  });

  describe('linkTeam', () => {
    it('is nothing to do without a team, the same team or a switch from the current one', () => {
      const link = { action: 'connect', deploymentId: DEPLOYMENT_ID } as const;
      assert.equal(linkTeam(link, [research, staging], research), undefined);
      assert.deepEqual(linkTeam({ ...link, teamId: TEAM_ID }, [research, staging], research), {
        team: research,
      });
      assert.deepEqual(linkTeam({ ...link, teamId: 'team-staging' }, [research, staging], research), {
        team: staging,
        switchFrom: research,
      });
    });

    it('refuses a team the key cannot see', () => {
      assert.throws(
        () => linkTeam({ action: 'connect', deploymentId: 'x', teamId: 'other' }, [research], research),
        (error: unknown) => error instanceof DeepLinkError && /not a member.*“other”/.test(error.message),
      );
    });
  });

  describe('confirmation', () => {
    const finetune = deployment({
      id: DEPLOYMENT_ID,
      name: 'h100-finetune',
      status: 'running',
      hourlyRate: 2.91,
    });

    it('names the instance, its status and its price', () => {
      const question = instanceLinkConfirmation('connect', finetune);
      assert.equal(question.message, 'Open a Remote-SSH window on h100-finetune, running, $2.91/h?');
      assert.equal(question.button, 'Connect');
      assert.equal(
        instanceLinkConfirmation('open-jupyter', finetune).message,
        'Open Jupyter on h100-finetune, running, $2.91/h?',
      );
    });

    it('says when it switches the team and when it will wait for the deployment', () => {
      const question = instanceLinkConfirmation(
        'connect',
        { ...finetune, status: 'deploying' },
        {
          team: staging,
          switchFrom: research,
        },
      );
      assert.match(question.message, /deploying/);
      assert.match(question.detail, /from “research” to “staging”/);
      assert.match(question.detail, /waits until it runs/);
    });

    it('refuses ended and stopped instances, not deploying or running ones', () => {
      assert.equal(instanceLinkRefusal(finetune), undefined);
      assert.equal(instanceLinkRefusal({ ...finetune, status: 'deploying' }), undefined);
      assert.match(instanceLinkRefusal({ ...finetune, status: 'stopped' }) ?? '', /stopped/);
      assert.match(
        instanceLinkRefusal({ ...finetune, status: 'terminated', rawStatus: 'terminated' }) ?? '',
        /terminated and cannot be opened/,
      );
    });
  });
});
