import * as assert from 'node:assert/strict';
import { TunnelManager, summariseStderr, tunnelArgs, type TunnelInfo } from '../../../src/core/ssh/tunnel';
import { FakeProcess, ManualTimers, settle } from './helpers/fakes';

function setup(options: { maxRestarts?: number } = {}) {
  const timers = new ManualTimers();
  const spawned: FakeProcess[] = [];
  const busy = new Set<number>(); // local ports taken by someone else
  const events: Pick<TunnelInfo, 'state' | 'localPort'>[] = [];
  const manager = new TunnelManager({
    userConfigPath: '/home/me/.ssh/config',
    spawn: (command, args) => {
      assert.equal(command, 'ssh');
      const child = new FakeProcess(1000 + spawned.length, args);
      spawned.push(child);
      return child;
    },
    timers,
    isPortFree: (port) => Promise.resolve(!busy.has(port)),
    anyFreePort: () => Promise.resolve(40000),
    initialBackoffMs: 1000,
    maxBackoffMs: 8000,
    maxRestarts: options.maxRestarts ?? 3,
    readyTimeoutMs: 10_000,
    killGraceMs: 2000,
    portSearchRange: 3,
  });
  manager.onDidChange((info) => events.push({ state: info.state, localPort: info.localPort }));
  const last = () => {
    const child = spawned.at(-1);
    assert.ok(child);
    return child;
  };
  /** What our ssh prints at -v once it has bound the local port. */
  const sayListening = async (port: number) => {
    last().writeStderr(
      `debug1: Local forwarding listening on 127.0.0.1 port ${port}.\r\n` +
        'debug1: channel 0: new port-listener [port listener] (inactive timeout: 0)\r\n' +
        'debug1: Entering interactive session.\r\n',
    );
    await settle();
  };
  return { timers, spawned, busy, events, manager, last, sayListening };
}

const request = { deploymentId: 'dep1', alias: 'spheron-box.tunnel', label: 'Jupyter', remotePort: 8888 };

describe('ssh/tunnel (TunnelManager state machine)', () => {
  it('builds the documented ssh command line', () => {
    assert.deepEqual(tunnelArgs('/c/my config', { alias: 'spheron-a.tunnel', remotePort: 8888 }, 8890), [
      '-F',
      '/c/my config',
      '-N',
      '-v',
      '-o',
      'ExitOnForwardFailure=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=20',
      '-L',
      '127.0.0.1:8890:localhost:8888',
      '--',
      'spheron-a.tunnel',
    ]);
  });

  it('starts, then becomes ready only when ssh says it listens on that port', async () => {
    const { manager, timers, events, last } = setup();
    const started = await manager.start(request);
    assert.equal(started.state, 'starting');
    assert.equal(started.localPort, 8888);
    assert.deepEqual(last().args.slice(-3), ['127.0.0.1:8888:localhost:8888', '--', 'spheron-box.tunnel']);
    await timers.advance(300);
    last().writeStderr('debug1: Authenticated to 198.51.100.7 ([198.51.100.7]:22) using "publickey".\n');
    last().writeStderr('debug1: Local forwarding listening on 127.0.0.1 port 8889.\n');
    await settle();
    assert.equal(manager.get(started.id)?.state, 'starting', 'another port says nothing about ours');
    last().writeStderr('debug1: Local forwarding listening on 127.0.0.1 ');
    last().writeStderr('port 8888.\n');
    await settle();
    // OpenSSH prints that line before bind(): only the session starting afterwards proves the bind.
    assert.equal(manager.get(started.id)?.state, 'starting', 'the listening line alone is not the signal');
    last().writeStderr('debug1: Entering interactive ');
    await settle();
    assert.equal(manager.get(started.id)?.state, 'starting', 'half a line is not the signal');
    last().writeStderr('session.\n');
    await settle();
    assert.equal(manager.get(started.id)?.state, 'ready');
    assert.deepEqual(
      events.map((event) => event.state),
      ['starting', 'ready'],
    );
    assert.equal(manager.get(started.id)?.pid, 1000);
  });

  it('picks the next free local port when the preferred one is taken', async () => {
    const { manager, busy } = setup();
    busy.add(8888);
    busy.add(8889);
    const started = await manager.start(request);
    assert.equal(started.localPort, 8890);
    // all taken in range: the OS picks one
    busy.add(6006).add(6007).add(6008).add(6009);
    const other = await manager.start({ ...request, remotePort: 6006, label: 'TensorBoard' });
    assert.equal(other.localPort, 40000);
  });

  it('returns the live tunnel when asked twice for the same instance and port', async () => {
    const { manager, spawned } = setup();
    const a = await manager.start(request);
    const b = await manager.start(request);
    assert.equal(a.id, b.id);
    assert.equal(spawned.length, 1);
    await assert.rejects(manager.start({ ...request, alias: '-oProxyCommand=x' }), /Invalid SSH host alias/);
    await assert.rejects(manager.start({ ...request, remotePort: 0 }), /Invalid remote port/);
  });

  it('restarts a dropped tunnel with exponential backoff, then gives up', async () => {
    const { manager, timers, events, spawned, last, sayListening } = setup({ maxRestarts: 3 });
    const tunnel = await manager.start(request);
    await sayListening(8888);
    assert.equal(manager.get(tunnel.id)?.state, 'ready');

    last().writeStderr('client_loop: send disconnect: Broken pipe\n');
    last().exit(255);
    await settle();
    assert.deepEqual(
      events.slice(-2).map((event) => event.state),
      ['dropped', 'restarting'],
    );
    assert.equal(manager.get(tunnel.id)?.lastError, 'client_loop: send disconnect: Broken pipe');
    assert.deepEqual(timers.delays(), [1000]);

    const backoffs: number[] = [];
    for (let attempt = 2; attempt <= 4; attempt++) {
      await timers.advance(timers.delays()[0] ?? 0);
      assert.equal(spawned.length, attempt, 'relaunched after the backoff');
      last().writeStderr('ssh: connect to host 198.51.100.7 port 22: Connection refused\n');
      last().exit(255);
      await settle();
      backoffs.push(...timers.delays());
    }
    assert.deepEqual(backoffs, [2000, 4000]);
    assert.equal(manager.get(tunnel.id)?.state, 'failed');
    assert.equal(manager.get(tunnel.id)?.failures, 4);
    assert.match(manager.get(tunnel.id)?.lastError ?? '', /Connection refused/);
    await timers.advance(60_000);
    assert.equal(spawned.length, 4, 'no restart after failing');
  });

  it('after a rename, a dropped tunnel reconnects through the new alias', async () => {
    const { manager, timers, spawned, last, sayListening } = setup();
    const tunnel = await manager.start(request);
    await sayListening(8888);
    manager.retarget('other', 'spheron-other.tunnel');
    manager.retarget('dep1', 'spheron-renamed.tunnel');
    // The running ssh is left alone; its info already names the new alias.
    assert.equal(spawned.length, 1);
    assert.equal(manager.get(tunnel.id)?.alias, 'spheron-renamed.tunnel');
    last().exit(255);
    await settle();
    await timers.advance(timers.delays()[0] ?? 0);
    assert.equal(spawned.length, 2);
    assert.equal(last().args.at(-1), 'spheron-renamed.tunnel');
    // An alias that could be an option is ignored.
    manager.retarget('dep1', '-oProxyCommand=x');
    assert.equal(manager.get(tunnel.id)?.alias, 'spheron-renamed.tunnel');
  });

  it('resets the failure count once ready again', async () => {
    const { manager, timers, last, sayListening } = setup();
    const tunnel = await manager.start(request);
    last().exit(255);
    await timers.advance(1000);
    last().exit(255);
    await timers.advance(2000);
    assert.equal(manager.get(tunnel.id)?.failures, 2);
    await sayListening(8888);
    assert.equal(manager.get(tunnel.id)?.state, 'ready');
    assert.equal(manager.get(tunnel.id)?.failures, 0);
  });

  it('fails at once on errors a restart cannot fix', async () => {
    const { manager, timers, spawned, last } = setup();
    const tunnel = await manager.start(request);
    last().writeStderr('ubuntu@198.51.100.7: Permission denied (publickey).\n');
    last().exit(255);
    await timers.advance(60_000);
    assert.equal(manager.get(tunnel.id)?.state, 'failed');
    assert.equal(spawned.length, 1);
    assert.equal(manager.get(tunnel.id)?.lastError, 'ubuntu@198.51.100.7: Permission denied (publickey).');
  });

  it('kills a start that never becomes ready and tries again', async () => {
    const { manager, timers, spawned } = setup();
    const tunnel = await manager.start(request);
    await timers.advance(10_000);
    assert.deepEqual(spawned[0]?.signals, ['SIGTERM']);
    assert.equal(manager.get(tunnel.id)?.state, 'restarting');
    assert.match(manager.get(tunnel.id)?.lastError ?? '', /not up after 10 s/);
    await timers.advance(1000);
    assert.equal(spawned.length, 2);
  });

  it('moves to another local port on restart when its port was taken meanwhile', async () => {
    const { manager, timers, busy, last } = setup();
    const tunnel = await manager.start(request);
    last().writeStderr('bind [127.0.0.1]:8888: Address already in use\n');
    last().exit(255);
    busy.add(8888);
    await timers.advance(1000);
    assert.equal(manager.get(tunnel.id)?.localPort, 8889);
    assert.deepEqual(last().args.slice(-3, -2), ['127.0.0.1:8889:localhost:8888']);
  });

  it('stop sends SIGTERM, escalates to SIGKILL after the grace period, and forgets the tunnel', async () => {
    const { manager, timers, events, last } = setup();
    const tunnel = await manager.start(request);
    const child = last();
    child.exitOnSignal = false;
    const stopping = manager.stop(tunnel.id);
    await settle();
    assert.deepEqual(child.signals, ['SIGTERM']);
    await timers.advance(2000);
    await stopping;
    assert.deepEqual(child.signals, ['SIGTERM', 'SIGKILL']);
    assert.equal(child.exited, true);
    assert.equal(manager.get(tunnel.id), undefined);
    assert.equal(events.at(-1)?.state, 'stopped');
    await timers.advance(60_000);
    assert.equal(manager.list().length, 0);
  });

  it('stopAllFor stops only that instance; dispose stops the rest and refuses new tunnels', async () => {
    const { manager, spawned } = setup();
    await manager.start(request);
    await manager.start({ ...request, remotePort: 6006, label: 'TensorBoard' });
    await manager.start({ ...request, deploymentId: 'dep2', alias: 'spheron-other.tunnel' });
    await manager.stopAllFor('dep1');
    assert.deepEqual(
      manager.list().map((tunnel) => tunnel.deploymentId),
      ['dep2'],
    );
    assert.deepEqual(
      spawned.map((child) => child.exited),
      [true, true, false],
    );
    await manager.dispose();
    assert.equal(
      spawned.every((child) => child.exited),
      true,
    );
    await assert.rejects(manager.start(request), /disposed/);
  });

  it('a spawn that throws becomes a failed start, not a crash', async () => {
    const timers = new ManualTimers();
    const manager = new TunnelManager({
      userConfigPath: '/c',
      spawn: () => {
        throw Object.assign(new Error('spawn ssh ENOENT'), { code: 'ENOENT' });
      },
      timers,
      isPortFree: () => Promise.resolve(true),
    });
    const tunnel = await manager.start(request);
    await timers.advance(10);
    assert.equal(manager.get(tunnel.id)?.state, 'failed');
    assert.match(manager.get(tunnel.id)?.lastError ?? '', /ENOENT/);
  });

  it('summarises stderr without routine notices', () => {
    assert.equal(
      summariseStderr(
        "Warning: Permanently added '[spheron-x]:22' (ED25519) to the list of known hosts.\nreal error\n",
      ),
      'real error',
    );
    assert.equal(
      summariseStderr(
        'OpenSSH_9.2p1\ndebug1: Reading configuration data /c\nCould not request local forwarding.\ndebug1: Exit status 255\n',
      ),
      'Could not request local forwarding.',
    );
    assert.equal(summariseStderr('\n'), undefined);
  });
});
