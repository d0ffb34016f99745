import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_PORT_FORWARDS,
  UNCLAIMED_ENTRY_MAX_AGE_MS,
  hostFromExisting,
  parseOurConfig,
  aliasFollowsName,
  planHosts,
  renderHostBlocks,
  renderOurConfig,
  validatePortForwards,
  type ExistingHost,
  type HostBlockSettings,
  type SshHost,
} from '../../../src/core/ssh/hostBlocks';
import { InvalidSshSettingError } from '../../../src/core/ssh/errors';
import { runningDeployment } from './helpers/tempHome';

const settings: HostBlockSettings = {
  identityFile: '/home/me/.ssh/id_ed25519',
  knownHostsPath: '/home/me/.ssh/spheron/known_hosts',
  strictHostKeyChecking: 'accept-new',
};

describe('ssh/hostBlocks', () => {
  it('renders the golden block for one running instance', () => {
    const plan = planHosts(
      [
        {
          id: '6a0123456789abcdef012345',
          name: 'Train LLM',
          status: 'running',
          ipAddress: '198.51.100.42',
          sshUser: null,
          sshPort: null,
          createdAtMs: 1,
        },
      ],
      [],
      DEFAULT_PORT_FORWARDS,
    );
    const text = renderOurConfig(plan.hosts, settings);
    assert.equal(
      text.split('\n').slice(4).join('\n'),
      [
        '',
        'Host spheron-train-llm spheron-train-llm.tunnel*',
        '  # spheron-id: 6a0123456789abcdef012345',
        '  # spheron-added: 0',
        '  HostName 198.51.100.42',
        '  User ubuntu',
        '  Port 22',
        '  IdentityFile /home/me/.ssh/id_ed25519',
        '  IdentitiesOnly yes',
        '  HostKeyAlias spheron-6a0123456789abcdef012345',
        '  UserKnownHostsFile /home/me/.ssh/spheron/known_hosts',
        '  StrictHostKeyChecking accept-new',
        '  CheckHostIP no',
        '  HashKnownHosts no',
        '  ServerAliveInterval 30',
        '  ServerAliveCountMax 4',
        '',
        'Host spheron-train-llm',
        '  # spheron-id: 6a0123456789abcdef012345',
        '  LocalForward 127.0.0.1:8888 localhost:8888',
        '  LocalForward 127.0.0.1:6006 localhost:6006',
        '',
      ].join('\n'),
    );
    assert.equal(text.startsWith('# Managed by Spheron for VS Code'), true);
  });

  it('quotes paths with spaces, uses forward slashes and escapes %', () => {
    const plan = planHosts([runningDeployment({ name: 'q' })], [], []);
    const text = renderOurConfig(plan.hosts, {
      ...settings,
      identityFile: 'C:\\Users\\Jane Doe\\.ssh\\id 100%',
      knownHostsPath: 'C:\\Users\\Jane Doe\\.ssh\\spheron\\known_hosts',
    });
    assert.match(text, /\n {2}IdentityFile "C:\/Users\/Jane Doe\/\.ssh\/id 100%%"\n/);
    assert.match(text, /\n {2}UserKnownHostsFile "C:\/Users\/Jane Doe\/\.ssh\/spheron\/known_hosts"\n/);
    assert.doesNotMatch(text, /\n {2}LocalForward/);
  });

  it('omits IdentityFile and IdentitiesOnly without an identity file, and uses ask for old OpenSSH', () => {
    const plan = planHosts([runningDeployment()], [], DEFAULT_PORT_FORWARDS);
    const text = renderOurConfig(plan.hosts, {
      ...settings,
      identityFile: undefined,
      strictHostKeyChecking: 'ask',
    });
    assert.doesNotMatch(text, /Identit/);
    assert.match(text, /StrictHostKeyChecking ask\n/);
  });

  it('refuses identity paths that cannot be written safely', () => {
    const plan = planHosts([runningDeployment()], [], []);
    for (const bad of ['/x/"quoted"', '/x/line\nProxyCommand evil', '/x/${HOME}/k', 'relative/key', '']) {
      assert.throws(
        () => renderOurConfig(plan.hosts, { ...settings, identityFile: bad }),
        InvalidSshSettingError,
        bad,
      );
    }
  });

  it('gives blocks only to running instances, and reports untrusted ones as skipped', () => {
    const good = runningDeployment({ name: 'good' });
    const plan = planHosts(
      [
        good,
        runningDeployment({ status: 'deploying', name: 'booting' }),
        runningDeployment({ status: 'stopped' }),
        runningDeployment({ ipAddress: null, name: 'no-ip' }),
        runningDeployment({ sshUser: 'root;rm -rf /', name: 'bad-user' }),
        { ...good, name: 'duplicate' },
      ],
      [],
      DEFAULT_PORT_FORWARDS,
    );
    assert.deepEqual(
      plan.hosts.map((host) => host.alias),
      ['spheron-good'],
    );
    assert.deepEqual(
      plan.skipped.map((entry) => [entry.name, entry.reason]),
      [
        ['no-ip', 'no IP address reported yet'],
        ['bad-user', '"root;rm -rf /" is not a valid login name'],
        ['duplicate', 'the API listed this deployment twice'],
      ],
    );
    assert.equal(plan.runningIds.size, 3);
  });

  it('appends the short id only on a collision, oldest instance keeps the plain name', () => {
    const older = runningDeployment({ name: 'Trainer', createdAtMs: 10 });
    const newer = runningDeployment({ name: 'trainer!', createdAtMs: 20 });
    const unnamed = runningDeployment({ name: null, createdAtMs: 30 });
    const plan = planHosts([newer, unnamed, older], [], []);
    const aliases = new Map(plan.hosts.map((host) => [host.deploymentId, host.alias]));
    assert.equal(aliases.get(older.id), 'spheron-trainer');
    assert.equal(aliases.get(newer.id), `spheron-trainer-${newer.id.slice(-6)}`);
    assert.equal(aliases.get(unnamed.id), `spheron-${unnamed.id.slice(-6)}`);
  });

  it('keeps local ports from the previous file; after a rename the alias follows the new name', () => {
    const a = runningDeployment({ name: 'alpha', createdAtMs: 1 });
    const b = runningDeployment({ name: 'beta', createdAtMs: 2 });
    const first = planHosts([a, b], [], DEFAULT_PORT_FORWARDS);
    assert.deepEqual(
      first.hosts.map((host) => [host.alias, host.forwards.map((forward) => forward.localPort)]),
      [
        ['spheron-alpha', [8888, 6006]],
        ['spheron-beta', [8889, 6007]],
      ],
    );
    const text = renderOurConfig(first.hosts, settings);
    const existing = parseOurConfig(text);
    assert.equal(existing.length, 2);

    // alpha goes away, beta is renamed, a new instance takes the name "alpha"
    const c = runningDeployment({ name: 'alpha', createdAtMs: 3 });
    const second = planHosts([{ ...b, name: 'renamed' }, c], existing, DEFAULT_PORT_FORWARDS);
    const byId = new Map(second.hosts.map((host) => [host.deploymentId, host]));
    // Rename promises the new name is the SSH host name: the old alias goes, the ports stay.
    assert.equal(byId.get(b.id)?.alias, 'spheron-renamed');
    assert.ok(second.hosts.every((host) => host.alias !== 'spheron-beta'));
    assert.deepEqual(
      byId.get(b.id)?.forwards.map((forward) => forward.localPort),
      [8889, 6007],
    );
    assert.equal(byId.get(c.id)?.alias, 'spheron-alpha');
    assert.deepEqual(
      byId.get(c.id)?.forwards.map((forward) => forward.localPort),
      [8888, 6006],
    );
  });

  it('an alias still follows its name: with the short id, counted, or the id; an unnamed entry keeps its own', () => {
    const d = runningDeployment({ name: 'train' });
    const short = d.id.slice(-6);
    for (const alias of ['spheron-train', `spheron-train-${short}`, `spheron-train-${short}-3`]) {
      assert.equal(aliasFollowsName(alias, d), true, alias);
    }
    for (const alias of ['spheron-old', 'spheron-train-x', `spheron-train-${short}-x`, 'spheron-trains']) {
      assert.equal(aliasFollowsName(alias, d), false, alias);
    }
    assert.equal(aliasFollowsName('spheron-anything', { id: d.id, name: null }), true);
  });

  it('keeps local ports distinct across instances and forwards', () => {
    const forwards = [
      { label: 'A', remotePort: 8888 },
      { label: 'B', remotePort: 8889 },
    ];
    const plan = planHosts(
      [
        runningDeployment({ createdAtMs: 1 }),
        runningDeployment({ createdAtMs: 2 }),
        runningDeployment({ createdAtMs: 3 }),
      ],
      [],
      forwards,
    );
    const ports = plan.hosts.flatMap((host) => host.forwards.map((forward) => forward.localPort));
    assert.equal(new Set(ports).size, ports.length);
    assert.deepEqual(ports.sort(), [8888, 8889, 8890, 8891, 8892, 8893]);
  });

  it('hands out local port 65535, then wraps round to 1024, never to a privileged port', () => {
    const top = [{ label: 'Top', remotePort: 65535 }];
    const plan = planHosts(
      [
        runningDeployment({ createdAtMs: 1 }),
        runningDeployment({ createdAtMs: 2 }),
        runningDeployment({ createdAtMs: 3 }),
      ],
      [],
      top,
      { otherLocalPorts: new Set([1024]) },
    );
    assert.deepEqual(
      plan.hosts.map((host) => host.forwards[0]?.localPort).sort((a, b) => (a ?? 0) - (b ?? 0)),
      [1025, 1026, 65535],
    );
    const alone = planHosts([runningDeployment({ createdAtMs: 1 })], [], top, {
      otherLocalPorts: new Set([65535]),
    });
    assert.equal(alone.hosts[0]?.forwards[0]?.localPort, 1024);
  });

  it('reads back a hand-damaged file tolerantly', () => {
    assert.deepEqual(parseOurConfig('Host spheron-x\n  HostName 1.2.3.4\n'), []);
    assert.deepEqual(parseOurConfig('garbage "unterminated\n\u0000'), []);
    const parsed = parseOurConfig(
      'Host spheron-ok\n  # spheron-id: abc123\n  Port 2222\n  LocalForward 127.0.0.1:9999 localhost:8888\n  LocalForward bogus\n',
    );
    assert.deepEqual(parsed, [
      {
        deploymentId: 'abc123',
        alias: 'spheron-ok',
        hostName: undefined,
        user: undefined,
        port: 2222,
        localPorts: new Map([[8888, 9999]]),
        addedAtMs: undefined,
      },
    ]);
  });

  it('reads back only sound values: a whole non-negative added time, real ports, its own blocks', () => {
    const parsed = parseOurConfig(
      [
        'Host spheron-a spheron-a.tunnel*',
        '  # spheron-id: AbC123',
        '  # spheron-added: 1.5',
        '  HostName 192.0.2.1',
        '  User ubuntu',
        '  Port 70000',
        '  IdentityFile /somewhere/else',
        '  LocalForward 127.0.0.1:70000 localhost:8888',
        '  LocalForward 127.0.0.1:9000 localhost:6006',
        'Match host other',
        '  HostName 203.0.113.9',
        '  Port 2222',
        'Host spheron-b',
        '  # spheron-id: abc123',
        '  # spheron-added: 42',
        '  User',
        'Host spheron-c',
        '  # spheron-id: c1',
        '  # spheron-added: -1',
        '  Port 0',
      ].join('\n'),
    );
    assert.deepEqual(parsed, [
      {
        deploymentId: 'AbC123',
        alias: 'spheron-a',
        hostName: '192.0.2.1',
        user: 'ubuntu',
        port: undefined,
        localPorts: new Map([[6006, 9000]]),
        addedAtMs: 42,
      },
      {
        deploymentId: 'c1',
        alias: 'spheron-c',
        hostName: undefined,
        user: undefined,
        port: undefined,
        localPorts: new Map(),
        addedAtMs: undefined,
      },
    ]);
  });

  it('forwards only real remote ports, each once, the first label winning', () => {
    assert.deepEqual(
      validatePortForwards([
        { label: 'Jupyter', remotePort: 8888 },
        { label: 'Again', remotePort: 8888 },
        { label: 'Top', remotePort: 65535 },
      ]),
      [
        { label: 'Jupyter', remotePort: 8888 },
        { label: 'Top', remotePort: 65535 },
      ],
    );
    for (const remotePort of [0, 65536, 1.5]) {
      assert.throws(() => validatePortForwards([{ label: 'x', remotePort }]), InvalidSshSettingError);
    }
  });

  it('keeps an entry the list is too old to know about until the earliest grace runs out', () => {
    const entry = (id: string, addedAtMs: number): ExistingHost => ({
      deploymentId: id,
      alias: `spheron-${id}`,
      hostName: '192.0.2.1',
      user: 'u',
      port: 22,
      localPorts: new Map(),
      addedAtMs,
    });
    const existing = [entry('e1', 1_000), entry('e2', 2_000)];
    const early = planHosts([], existing, [], { listFetchedAtMs: 1_200, absentGraceMs: 500 });
    assert.deepEqual(
      early.hosts.map((host) => host.deploymentId),
      ['e1', 'e2'],
    );
    assert.equal(early.pendingUntilMs, 1_500);
    const later = planHosts([], existing, [], { listFetchedAtMs: 1_500, absentGraceMs: 500 });
    assert.deepEqual(
      later.hosts.map((host) => host.deploymentId),
      ['e2'],
    );
    assert.deepEqual(later.removed, [{ deploymentId: 'e1', alias: 'spheron-e1', port: 22, reason: 'gone' }]);
    assert.equal(later.pendingUntilMs, 2_500);
    assert.equal(
      planHosts([], existing, []).pendingUntilMs,
      undefined,
      'no list time: every absent entry goes',
    );
  });

  it('renders an unclaimed entry again only while its values still pass, forwards by remote port', () => {
    const entry: ExistingHost = {
      deploymentId: 'Old1',
      alias: 'spheron-old',
      hostName: '192.0.2.7',
      user: 'ubuntu',
      port: 2222,
      localPorts: new Map([
        [8888, 8890],
        [6006, 6007],
      ]),
      addedAtMs: 5,
    };
    assert.deepEqual(hostFromExisting(entry, 9), {
      deploymentId: 'Old1',
      name: null,
      alias: 'spheron-old',
      tunnelAlias: 'spheron-old.tunnel',
      hostKeyAlias: 'spheron-old1',
      hostName: '192.0.2.7',
      user: 'ubuntu',
      port: 2222,
      forwards: [
        { label: '', remotePort: 6006, localPort: 6007 },
        { label: '', remotePort: 8888, localPort: 8890 },
      ],
      addedAtMs: 9,
    });
    for (const broken of [
      { alias: undefined },
      { alias: '*spheron-old' },
      { hostName: 'bad host' },
      { user: '-oProxyCommand=x' },
      { port: 0 },
    ]) {
      assert.equal(hostFromExisting({ ...entry, ...broken }, 9), undefined, JSON.stringify(broken));
    }
  });

  it('lists hosts by alias; two of one name and age go to the lower id first', () => {
    const a = runningDeployment({ id: '6a0123456789abcdef0000a1', name: 'twin', createdAtMs: null });
    const b = runningDeployment({ id: '6a0123456789abcdef0000b2', name: 'twin', createdAtMs: null });
    const zeta = runningDeployment({ name: 'zeta', createdAtMs: 1 });
    const plan = planHosts([zeta, b, a], [], []);
    assert.deepEqual(
      plan.hosts.map((host) => [host.alias, host.deploymentId, host.name]),
      [
        ['spheron-twin', a.id, 'twin'],
        ['spheron-twin-0000b2', b.id, 'twin'],
        ['spheron-zeta', zeta.id, 'zeta'],
      ],
    );
    const odd = runningDeployment({ name: 42 as unknown as string, createdAtMs: 2, ipAddress: 'bad host' });
    const plain = runningDeployment({ name: 7 as unknown as string, createdAtMs: 3 });
    const mixed = planHosts([odd, plain], [], []);
    assert.equal(mixed.hosts[0]?.name, null, 'a name that is not text is no name');
    assert.deepEqual(
      mixed.skipped.map((skip) => [skip.deploymentId, skip.name]),
      [[odd.id, null]],
    );
  });

  it('falls back to the whole id, then a counter, when every shorter alias is taken', () => {
    const first = runningDeployment({ id: 'aaaaaa111111', name: null, createdAtMs: 1 });
    const second = runningDeployment({ id: 'bbbbbb111111', name: null, createdAtMs: 2 });
    assert.deepEqual(
      planHosts([first, second], [], []).hosts.map((host) => host.alias),
      ['spheron-111111', 'spheron-bbbbbb111111'],
    );
    const box = runningDeployment({ id: 'cccccc222222', name: 'box', createdAtMs: 3 });
    const taken = new Map(
      ['spheron-box', 'spheron-box-222222', 'spheron-cccccc222222', 'spheron-box-222222-2'].map(
        (name, index) => [name, { number: index + 1, text: `Host ${name}` }],
      ),
    );
    assert.equal(planHosts([box], [], [], { userHostNames: taken }).hosts[0]?.alias, 'spheron-box-222222-3');
  });

  it('stamps new entries with nowMs, else the list time, else 0', () => {
    const box = runningDeployment();
    const added = (options: { nowMs?: number; listFetchedAtMs?: number }) =>
      planHosts([box], [], [], options).hosts[0]?.addedAtMs;
    assert.equal(added({ nowMs: 5, listFetchedAtMs: 7 }), 5);
    assert.equal(added({ listFetchedAtMs: 7 }), 7);
    assert.equal(added({}), 0);
  });

  it('keeps a stopped instance only while its entry still passes, with its address and added time', () => {
    const stopped = runningDeployment({ name: 'paused', status: 'stopped' });
    const entry: ExistingHost = {
      deploymentId: stopped.id,
      alias: 'spheron-kept',
      hostName: '192.0.2.8',
      user: 'ubuntu',
      port: 22,
      localPorts: new Map(),
      addedAtMs: 5,
    };
    const kept = planHosts([stopped], [entry], []);
    // The alias follows the instance's name, as after a rename.
    assert.deepEqual(
      kept.hosts.map((host) => [host.alias, host.hostName, host.addedAtMs]),
      [['spheron-paused', '192.0.2.8', 5]],
    );
    for (const broken of [{ hostName: 'bad host' }, { user: '-x' }, { port: 0 }]) {
      const plan = planHosts([stopped], [{ ...entry, ...broken }], []);
      assert.deepEqual(plan.hosts, [], JSON.stringify(broken));
      assert.deepEqual(
        plan.removed.map((removed) => removed.reason),
        ['gone'],
      );
    }
    // An entry too new to judge is kept the same way, and only if it still passes.
    const absent = planHosts([], [{ ...entry, hostName: 'bad host' }], [], {
      listFetchedAtMs: 6,
      absentGraceMs: 1_000,
    });
    assert.deepEqual(absent.hosts, []);
    assert.equal(absent.pendingUntilMs, undefined);
  });

  it('skips a running instance with values it cannot use: no block, but not removed (its host key stays)', () => {
    const dep = runningDeployment({ ipAddress: 'bad host' });
    const entry: ExistingHost = {
      deploymentId: dep.id.toUpperCase(),
      alias: 'spheron-x',
      hostName: '192.0.2.9',
      user: 'u',
      port: 22,
      localPorts: new Map(),
      addedAtMs: 5,
    };
    const plan = planHosts([dep], [entry], [], { listFetchedAtMs: 6, absentGraceMs: 1_000 });
    assert.deepEqual(plan.hosts, []);
    assert.deepEqual(plan.removed, []);
    assert.deepEqual(
      plan.skipped.map((skip) => skip.deploymentId),
      [dep.id],
    );
    assert.ok(plan.runningIds.has(dep.id.toLowerCase()));
  });

  it('skips a listed instance whose id is not even text, without failing the others', () => {
    const good = runningDeployment({ name: 'good' });
    const plan = planHosts([{ ...good, id: 42 as unknown as string }, good], [], []);
    assert.deepEqual(
      plan.hosts.map((host) => host.alias),
      ['spheron-good'],
    );
    assert.deepEqual(
      plan.skipped.map((skip) => skip.deploymentId),
      ['42'],
    );
  });

  it('reads back only a LocalForward of the exact form it writes', () => {
    const forwards = (line: string) =>
      parseOurConfig(`Host spheron-a\n  # spheron-id: a1\n  ${line}\n`)[0]?.localPorts;
    assert.deepEqual(forwards('LocalForward 127.0.0.1:9000 localhost:8888'), new Map([[8888, 9000]]));
    assert.deepEqual(forwards('LocalForward 127.0.0.1:9000 localhost:8888 extra'), new Map());
    assert.deepEqual(forwards('LocalForward x127.0.0.1:9000 localhost:8888'), new Map());
  });

  it('keeps an unclaimed host (from a file before team sections) for one week', () => {
    assert.equal(UNCLAIMED_ENTRY_MAX_AGE_MS, 7 * 24 * 60 * 60 * 1000);
  });

  it('verifies text it has not written before, and accepts it when it is what was intended', () => {
    // A fresh id each run: text seen before skips verification (the cache), this must not.
    const id = randomBytes(12).toString('hex');
    const [host] = planHosts([runningDeployment({ id, name: null })], [], []).hosts;
    assert.ok(host);
    const text = renderHostBlocks([host], settings);
    assert.equal(text.split('\n').filter((line) => line === `  # spheron-id: ${id}`).length, 1);
    assert.match(text, new RegExp(`^\\nHost ${host.alias} ${host.alias}\\.tunnel\\*\\n`));
  });

  it('gives up a previous alias that is no longer a valid one of ours', () => {
    const box = runningDeployment({ name: 'box' });
    const entry: ExistingHost = { deploymentId: box.id, alias: '*box', port: 22, localPorts: new Map() };
    assert.equal(planHosts([box], [entry], []).hosts[0]?.alias, 'spheron-box');
  });

  it('writes no forwards block for a host without forwards', () => {
    const host: SshHost = {
      deploymentId: 'd2',
      name: null,
      alias: 'spheron-b',
      tunnelAlias: 'spheron-b.tunnel',
      hostKeyAlias: 'spheron-d2',
      hostName: '192.0.2.2',
      user: 'u',
      port: 22,
      forwards: [],
      addedAtMs: 0,
    };
    const text = renderHostBlocks([host], settings);
    assert.deepEqual(
      text.split('\n').filter((line) => line.startsWith('Host ')),
      ['Host spheron-b spheron-b.tunnel*'],
    );
  });

  it('doubles % in the key and known_hosts paths (ssh expands tokens there) and allows * in them', () => {
    const text = renderHostBlocks(planHosts([runningDeployment()], [], []).hosts, {
      ...settings,
      identityFile: '/keys/100%/id*',
      knownHostsPath: '/kh/100%/known_hosts*',
    });
    assert.match(text, /\n {2}IdentityFile "\/keys\/100%%\/id\*"\n/);
    assert.match(text, /\n {2}UserKnownHostsFile "\/kh\/100%%\/known_hosts\*"\n/);
  });

  it('gives each instance its own alias even when a hand-edited file gave two the same one', () => {
    const a = runningDeployment({ name: 'alpha', createdAtMs: 1 });
    const b = runningDeployment({ name: 'beta', createdAtMs: 2 });
    const text = renderOurConfig(planHosts([a, b], [], []).hosts, settings).replaceAll(
      'spheron-beta',
      'spheron-alpha',
    );
    const existing = parseOurConfig(text);
    assert.deepEqual(
      existing.map((entry) => entry.alias),
      ['spheron-alpha', 'spheron-alpha'],
    );
    const aliases = planHosts([a, b], existing, []).hosts.map((host) => host.alias);
    assert.equal(new Set(aliases).size, 2, aliases.join(', '));
    assert.ok(aliases.includes('spheron-alpha'));
  });

  describe('refuses to write text that says more than was intended', () => {
    // Validation keeps every one of these values out; renderHostBlocks checks again on its own.
    const host: SshHost = {
      deploymentId: 'd1',
      name: null,
      alias: 'spheron-a',
      tunnelAlias: 'spheron-a.tunnel',
      hostKeyAlias: 'spheron-d1',
      hostName: '192.0.2.1',
      user: 'u',
      port: 22,
      forwards: [],
      addedAtMs: 0,
    };
    const cases: [string, Partial<SshHost>, string][] = [
      ['a control character', { hostName: '192.0.2.1\u0007' }, 'control character'],
      ['an extra directive line', { hostName: '192.0.2.1\n  ProxyCommand evil' }, 'line count'],
      ['a value split by a comment line', { hostName: '192.0.2.1\n#x' }, 'line "  HostName 192.0.2.1"'],
      ['a quoted host pattern', { alias: '"a b"', tunnelAlias: 'x' }, 'host patterns'],
      ['a second id comment', { deploymentId: 'd1\n  # spheron-id: d1' }, 'section body'],
      ['a quoted value read back as two', { user: '"a" "b"' }, 'value of User'],
      ['a trailing comment in a value', { hostName: '192.0.2.1 #c' }, 'value of HostName'],
      ['a value starting with =', { hostKeyAlias: '=x' }, 'value of HostKeyAlias'],
      ['a comment sign inside a value', { user: 'a#b' }, 'value of User'],
    ];
    for (const [label, change, reason] of cases) {
      it(label, () => {
        assert.throws(
          () => renderHostBlocks([{ ...host, ...change }], settings),
          (error: Error) =>
            error.message ===
            `Internal error: the generated SSH config is not what was intended (${reason}).`,
        );
      });
    }

    it('but writes the same host again without complaint', () => {
      const once = renderHostBlocks([host], settings);
      assert.equal(renderHostBlocks([host], settings), once);
      assert.match(
        once,
        /^\nHost spheron-a spheron-a\.tunnel\*\n {2}# spheron-id: d1\n {2}# spheron-added: 0\n/,
      );
    });
  });
});
