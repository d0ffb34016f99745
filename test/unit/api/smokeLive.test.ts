// `npm run smoke:live` against the simulator in both profiles: what it reports, and that it never
// prints the key, an id or a name.
import * as assert from 'node:assert/strict';
import { runSmokeLive } from '../../../scripts/smokeLive';
import { SEED_IDS } from '../../simulator/seed';
import { useSimulator } from './harness';

async function run(baseUrl: string, apiKey: string | undefined): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runSmokeLive({ baseUrl, apiKey, print: (line) => lines.push(line) });
  return { code, lines };
}

const ENDPOINTS = [
  'GET /api/providers',
  'GET /api/gpu-offers',
  'GET /api/balance',
  'GET /api/teams',
  'GET /api/deployments',
  'GET /api/volumes',
  'GET /api/ssh-keys',
];

for (const profile of ['default', 'real-world'] as const) {
  describe(`npm run smoke:live against the simulator (${profile} profile)`, () => {
    const sim = useSimulator({ profile });

    it('checks every read-only endpoint, accepts each, and prints no key, id or name', async () => {
      const { code, lines } = await run(sim().url, sim().apiKey);
      const output = lines.join('\n');
      assert.equal(code, 0, output);
      for (const endpoint of ENDPOINTS) {
        assert.match(output, new RegExp(`^${endpoint.replace(/\//g, '\\/')} +accepted: `, 'm'), endpoint);
      }
      for (const secret of [
        sim().apiKey,
        ...Object.values(SEED_IDS),
        'datasets-01',
        'research',
        'dev-laptop',
      ]) {
        assert.ok(!output.includes(secret), `printed ${secret}`);
      }
      const requests = sim().requestLog().entries;
      assert.ok(
        requests.every((entry) => entry.method === 'GET'),
        'read-only',
      );
      if (profile === 'real-world') {
        assert.match(output, /missing field deployment\.instanceType/);
        assert.match(output, /unknown field deployment\.lastCreditDeduction/);
      }
    });
  });
}

describe('npm run smoke:live without a usable setup', () => {
  const sim = useSimulator();

  it('says so and exits 0 without a key, sending nothing', async () => {
    sim().resetRequestLog();
    const { code, lines } = await run(sim().url, undefined);
    assert.equal(code, 0);
    assert.match(lines[0] ?? '', /SPHERON_API_KEY is not set/);
    assert.equal(sim().requestLog().total, 0);
  });

  it('refuses to send the key over http:// to another machine', async () => {
    const { code, lines } = await run('http://api.example.com', 'sk-live');
    assert.equal(code, 2);
    assert.match(lines.join('\n'), /Refusing to send the key/);
  });

  it('reports an answer our schemas do not accept, and exits 1', async () => {
    sim().injectFault({ route: 'GET /api/balance', wrongShape: true });
    const { code, lines } = await run(sim().url, sim().apiKey);
    assert.equal(code, 1);
    assert.match(lines.join('\n'), /^GET \/api\/balance +NOT accepted: teams: expected array/m);
  });
});
