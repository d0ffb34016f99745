import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import {
  jupyterBrowserUrl,
  jupyterListCommand,
  listeningPortsCommand,
  parseJupyterServers,
  parseListeningPorts,
  parsePortProbe,
  pickJupyterServer,
  portProbeCommand,
  shellQuote,
  startJupyterCommand,
  startTensorBoardCommand,
} from '../../../src/core/ssh/remoteCommands';

const SERVER_LIST_JSON = [
  '{"base_url": "/", "hostname": "localhost", "password": false, "pid": 4242, "port": 8890, "root_dir": "/home/ubuntu/other", "secure": false, "sock": "", "token": "aaa111", "url": "http://localhost:8890/", "version": "2.14.2"}',
  '{"base_url": "/user/x", "hostname": "127.0.0.1", "password": false, "pid": 4343, "port": 8888, "root_dir": "/home/ubuntu", "secure": false, "sock": "", "token": "f00d+/=tok", "url": "http://127.0.0.1:8888/user/x/", "version": "2.14.2"}',
].join('\n');

describe('ssh/remoteCommands', () => {
  it('parses `jupyter server list --json` and picks the server on the remote port', () => {
    const servers = parseJupyterServers(SERVER_LIST_JSON);
    assert.equal(servers.length, 2);
    const picked = pickJupyterServer(servers, 8888);
    assert.deepEqual(picked, {
      port: 8888,
      token: 'f00d+/=tok',
      baseUrl: '/user/x/',
      rootDir: '/home/ubuntu',
      pid: 4343,
    });
    assert.ok(picked);
    assert.equal(
      jupyterBrowserUrl(picked, 18888),
      'http://127.0.0.1:18888/user/x/lab?token=f00d%2B%2F%3Dtok',
    );
    assert.equal(pickJupyterServer(servers, 9999), undefined);
  });

  it('parses the notebook_dir form, a JSON array and the old text form', () => {
    const notebook = parseJupyterServers(
      '{"base_url": "/", "notebook_dir": "/root", "port": 8888, "token": "", "pid": 7}\n',
    );
    assert.deepEqual(notebook, [{ port: 8888, token: '', baseUrl: '/', rootDir: '/root', pid: 7 }]);
    assert.equal(jupyterBrowserUrl(notebook[0], 8888), 'http://127.0.0.1:8888/lab');

    const array = parseJupyterServers('[{"base_url": "/", "port": 8888, "token": "t"}]');
    assert.equal(array[0]?.token, 't');

    const text = parseJupyterServers(
      'Currently running servers:\nhttp://localhost:8888/?token=abc123 :: /home/ubuntu\nhttp://0.0.0.0:9000/base/lab?token=zz :: /data\n',
    );
    assert.deepEqual(
      text.map((server) => [server.port, server.token, server.baseUrl, server.rootDir]),
      [
        [8888, 'abc123', '/', '/home/ubuntu'],
        [9000, 'zz', '/base/', '/data'],
      ],
    );
  });

  it('drops hostile or broken entries', () => {
    const servers = parseJupyterServers(
      [
        '{"port": "8888", "token": "x"}',
        '{"port": 70000, "token": "x"}',
        '{"port": 8888, "token": "ok", "base_url": "/\\"><script>"}',
        'not json {',
        '{broken',
      ].join('\n'),
    );
    assert.deepEqual(servers, [
      { port: 8888, token: 'ok', baseUrl: '/', rootDir: undefined, pid: undefined },
    ]);
  });

  it('builds start commands that bind loopback only and quote user input', () => {
    const jupyter = startJupyterCommand(8888, { rootDir: "/data/it's here" });
    assert.match(
      jupyter,
      /nohup jupyter lab --no-browser --ip 127\.0\.0\.1 --port 8888 --ServerApp\.port_retries=0/,
    );
    assert.match(jupyter, /--ServerApp\.root_dir='\/data\/it'\\''s here'/);
    assert.match(jupyter, /&$/);
    const tensorboard = startTensorBoardCommand(6006, '$(rm -rf ~)/runs');
    assert.match(tensorboard, /tensorboard --logdir '\$\(rm -rf ~\)\/runs' --host 127\.0\.0\.1 --port 6006/);
    assert.doesNotMatch(tensorboard, /bind_all/);
    assert.throws(() => startTensorBoardCommand(0, 'x'), /Invalid port/);
    assert.match(
      jupyterListCommand(),
      /jupyter server list --json .*\|\| jupyter notebook list --json .*\|\| jupyter notebook list/,
    );
  });

  it('shellQuote survives a real shell', () => {
    for (const value of ["it's", '$(id)', '`id`', 'a b\tc', '"q"', '\\', '']) {
      const out = spawnSync('sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' });
      assert.equal(out.stdout, value);
    }
  });

  describe('remote port checks, run by a real local shell', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('the /dev/tcp probe sees an open and a closed port', () => {
      const open = spawnSync('sh', ['-c', portProbeCommand(port)], { encoding: 'utf8' });
      assert.equal(parsePortProbe(open.stdout), true);
      const closed = spawnSync('sh', ['-c', portProbeCommand(1)], { encoding: 'utf8' });
      assert.equal(parsePortProbe(closed.stdout), false);
      assert.equal(parsePortProbe('bash: not found'), undefined);
    });

    it('the listening-ports command lists the port (or says no tool exists)', () => {
      const out = spawnSync('sh', ['-c', listeningPortsCommand()], { encoding: 'utf8' });
      const ports = parseListeningPorts(out.stdout);
      if (ports !== undefined) {
        assert.equal(ports.has(port), true);
      } else {
        assert.match(out.stdout, /SPHERON_NO_SS/);
      }
    });
  });

  it('parses ss and netstat output', () => {
    const ss = [
      'LISTEN 0      128        127.0.0.1:8888      0.0.0.0:*',
      'LISTEN 0      511             [::1]:6006         [::]:*',
      'LISTEN 0      128                 *:22              *:*',
    ].join('\n');
    assert.deepEqual([...(parseListeningPorts(ss) ?? [])].sort(), [22, 6006, 8888]);
    const netstat = [
      'Active Internet connections (only servers)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State',
      'tcp        0      0 127.0.0.1:8888          0.0.0.0:*               LISTEN',
      'tcp6       0      0 :::6006                 :::*                    LISTEN',
    ].join('\n');
    assert.deepEqual([...(parseListeningPorts(netstat) ?? [])].sort(), [6006, 8888]);
    assert.equal(parseListeningPorts('SPHERON_NO_SS\n'), undefined);
  });
});
