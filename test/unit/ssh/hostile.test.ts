// Untrusted API values must never become a directive. Every case below is synced into a real config
// and then read back by the real OpenSSH client (`ssh -G`).
import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SshDeploymentInput } from '../../../src/core/ssh/hostBlocks';
import { syncSshConfig, type SshSyncResult } from '../../../src/core/ssh/sync';
import { ALIAS_PATTERN } from '../../../src/core/ssh/validate';
import { sshG, sshGRaw } from './helpers/sshG';
import { makeTempHome, runningDeployment, type TempHome } from './helpers/tempHome';

interface HostileCase {
  readonly title: string;
  readonly overrides: Record<string, unknown>;
  /** The alias it must get; `unnamed` for `spheron-<shortid>`; `skip` when it must get no block at all. */
  readonly expect: string;
}

const short = (id: string) => id.slice(-6);

const CASES: HostileCase[] = [
  {
    title: 'name with LF + ProxyCommand',
    overrides: { name: 'x\n  ProxyCommand sh -c evil' },
    expect: 'spheron-x-proxycommand-sh-c-evil',
  },
  {
    title: 'name with CRLF + ProxyCommand',
    overrides: { name: 'x\r\nProxyCommand evil' },
    expect: 'spheron-x-proxycommand-evil',
  },
  { title: 'name with NUL', overrides: { name: 'nul\u0000byte' }, expect: 'spheron-nul-byte' },
  { title: 'name with quotes', overrides: { name: '"quoted" name' }, expect: 'spheron-quoted-name' },
  { title: 'name with #', overrides: { name: 'name # comment' }, expect: 'spheron-name-comment' },
  { title: 'name with =', overrides: { name: 'key=value' }, expect: 'spheron-key-value' },
  { title: 'name with tab', overrides: { name: 'tab\tname' }, expect: 'spheron-tab-name' },
  { title: 'unicode name', overrides: { name: 'ünï 模型' }, expect: 'spheron-uni' },
  { title: 'name *', overrides: { name: '*' }, expect: 'unnamed' },
  { title: 'name ?', overrides: { name: '?' }, expect: 'unnamed' },
  { title: 'name !negation', overrides: { name: '!negate' }, expect: 'spheron-negate' },
  { title: 'name with % tokens', overrides: { name: '%h%p' }, expect: 'spheron-h-p' },
  {
    title: 'name with leading dashes',
    overrides: { name: '--leading-dash' },
    expect: 'spheron-leading-dash',
  },
  { title: 'very long name', overrides: { name: 'a'.repeat(500) }, expect: `spheron-${'a'.repeat(40)}` },
  { title: 'name "Host *"', overrides: { name: 'Host *' }, expect: 'spheron-host' },
  { title: 'name "Match all"', overrides: { name: 'Match all' }, expect: 'spheron-match-all' },
  { title: 'name with shell syntax', overrides: { name: '$(reboot) `id`' }, expect: 'spheron-reboot-id' },
  { title: 'IP with port', overrides: { ipAddress: '1.2.3.4:22' }, expect: 'skip' },
  {
    title: 'IP with LF + ProxyCommand',
    overrides: { ipAddress: '1.2.3.4\nProxyCommand evil' },
    expect: 'skip',
  },
  {
    title: 'IP with trailing directive',
    overrides: { ipAddress: '1.2.3.4 ProxyCommand evil' },
    expect: 'skip',
  },
  { title: 'host name instead of IP', overrides: { ipAddress: 'evil.example.com' }, expect: 'skip' },
  { title: 'IPv6 with zone (% token)', overrides: { ipAddress: 'fe80::1%eth0' }, expect: 'skip' },
  { title: 'IP as an option', overrides: { ipAddress: '-oProxyCommand=x' }, expect: 'skip' },
  { title: 'user with shell syntax', overrides: { sshUser: 'root;rm -rf /' }, expect: 'skip' },
  {
    title: 'user with LF + ProxyCommand',
    overrides: { sshUser: 'ubuntu\n  ProxyCommand x' },
    expect: 'skip',
  },
  { title: 'user as an option', overrides: { sshUser: '-oProxyCommand=x' }, expect: 'skip' },
  { title: 'user with % token', overrides: { sshUser: '%u' }, expect: 'skip' },
  {
    title: 'port as string with ProxyCommand',
    overrides: { sshPort: '22\nProxyCommand evil' },
    expect: 'skip',
  },
  { title: 'port 0', overrides: { sshPort: 0 }, expect: 'skip' },
  { title: 'port 70000', overrides: { sshPort: 70_000 }, expect: 'skip' },
  { title: 'port 22.5', overrides: { sshPort: 22.5 }, expect: 'skip' },
  { title: 'id with LF + ProxyCommand', overrides: { id: 'abc\nProxyCommand x' }, expect: 'skip' },
  { title: 'id with path segments', overrides: { id: '../../etc' }, expect: 'skip' },
];

// Options we set ourselves; every other option must be exactly what ssh uses for a benign host.
const OURS = new Set(['host', 'hostname', 'user', 'port', 'hostkeyalias', 'localforward']);
const DANGEROUS = ['proxycommand', 'proxyjump', 'localcommand', 'remotecommand', 'knownhostscommand'];

describe('ssh/hostile API values (verified with real ssh -G)', () => {
  let t: TempHome;
  let result: SshSyncResult;
  const deployments = new Map<HostileCase, SshDeploymentInput>();
  let benign: SshDeploymentInput;

  before(async () => {
    t = await makeTempHome('spheron-hostile-');
    benign = runningDeployment({ name: 'benign', createdAtMs: 0 });
    for (const hostileCase of CASES) {
      deployments.set(hostileCase, runningDeployment(hostileCase.overrides));
    }
    result = await syncSshConfig(
      [benign, ...deployments.values(), runningDeployment({ name: 'v6', ipAddress: '2001:db8::7' })],
      {
        homeDir: t.home,
        userConfigPath: t.userConfig,
        identityFile: join(t.home, '.ssh', 'id_ed25519'),
      },
    );
  });
  after(async () => {
    await t.cleanup();
  });

  it(`covers at least 20 hostile values (${CASES.length})`, () => {
    assert.ok(CASES.length >= 20);
  });

  it('writes no injected text at all into our file', async () => {
    const text = await readFile(t.ourConfig, 'utf8');
    assert.doesNotMatch(text, /ProxyCommand|rm -rf|\$\(|\r|\t|%h|%u/);
    assert.equal(text.includes(String.fromCharCode(0)), false);
    const keywords = new Set<string>();
    for (const line of text.split('\n')) {
      const keyword = /^ {2}([A-Za-z]+) /.exec(line)?.[1];
      if (keyword) {
        keywords.add(keyword);
      }
      assert.match(
        line,
        /^(|#.*| {2}#.*|Host spheron-[a-z0-9-]+( spheron-[a-z0-9-]+\.tunnel\*)?| {2}[A-Za-z]+ [^\s"]+( [^\s"]+)?| {2}[A-Za-z]+ "[^"]+")$/,
        line,
      );
    }
    assert.deepEqual([...keywords].sort(), [
      'CheckHostIP',
      'HashKnownHosts',
      'HostKeyAlias',
      'HostName',
      'IdentitiesOnly',
      'IdentityFile',
      'LocalForward',
      'Port',
      'ServerAliveCountMax',
      'ServerAliveInterval',
      'StrictHostKeyChecking',
      'User',
      'UserKnownHostsFile',
    ]);
  });

  it('leaks nothing into other hosts', async () => {
    const empty = join(t.home, 'empty_config');
    await writeFile(empty, '');
    assert.equal(sshGRaw(t.userConfig, 'victim.example'), sshGRaw(empty, 'victim.example'));
  });

  for (const hostileCase of CASES) {
    it(hostileCase.title, () => {
      const deployment = deployments.get(hostileCase);
      assert.ok(deployment);
      if (hostileCase.expect === 'skip') {
        assert.ok(
          result.skipped.some((entry) => entry.deploymentId === String(deployment.id)),
          `expected ${hostileCase.title} to be skipped`,
        );
        assert.ok(!result.hosts.some((host) => host.deploymentId === deployment.id));
        return;
      }
      const host = result.hosts.find((entry) => entry.deploymentId === deployment.id);
      assert.ok(host, 'expected a block');
      const expectedAlias =
        hostileCase.expect === 'unnamed' ? `spheron-${short(deployment.id)}` : hostileCase.expect;
      assert.equal(host.alias, expectedAlias);
      assert.match(host.alias, ALIAS_PATTERN);

      const effective = sshG(t.userConfig, host.alias);
      const reference = sshG(t.userConfig, 'spheron-benign');
      assert.equal(effective.get('hostname')?.[0], deployment.ipAddress);
      assert.equal(effective.get('user')?.[0], 'ubuntu');
      assert.equal(effective.get('port')?.[0], '22');
      for (const keyword of DANGEROUS) {
        assert.equal(effective.get(keyword), undefined, keyword);
      }
      assert.deepEqual([...effective.keys()].sort(), [...reference.keys()].sort());
      for (const [keyword, values] of reference) {
        if (!OURS.has(keyword)) {
          assert.deepEqual(effective.get(keyword), values, keyword);
        }
      }
    });
  }

  it('writes an IPv6 address that ssh accepts', () => {
    const host = result.hosts.find((entry) => entry.alias === 'spheron-v6');
    assert.ok(host);
    assert.equal(sshG(t.userConfig, 'spheron-v6').get('hostname')?.[0], '2001:db8::7');
  });
});
