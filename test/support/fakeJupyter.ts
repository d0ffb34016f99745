// A stand-in for JupyterLab on an instance: an HTTP server on 127.0.0.1 that answers only with
// the right token, and a `jupyter` executable whose `server list --json` reports it. Put `binDir`
// first on the PATH of the SSH sessions (sshd SetEnv) so the extension finds it over SSH.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeJupyter {
  readonly port: number;
  readonly token: string;
  /** Holds the `jupyter` executable. */
  readonly binDir: string;
  /** The text the lab page shows to a request with the right token. */
  readonly signedInText: string;
  stop(): Promise<void>;
}

export async function startFakeJupyter(): Promise<FakeJupyter> {
  const token = randomBytes(12).toString('hex');
  const signedInText = `Fake JupyterLab: signed in with token ${token.slice(0, 6)}`;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ok = url.searchParams.get('token') === token;
    response.writeHead(ok ? 200 : 403, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(
      ok
        ? `<!doctype html><title>JupyterLab</title><h1 id="fake-jupyter">${signedInText}</h1>`
        : '<!doctype html><title>JupyterLab</title><h1>403: token missing or wrong</h1>',
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const binDir = await mkdtemp(join(tmpdir(), 'spheron-fake-jupyter-'));
  const listing = JSON.stringify({
    base_url: '/',
    hostname: '127.0.0.1',
    port,
    secure: false,
    token,
    root_dir: '/root',
    url: `http://127.0.0.1:${port}/`,
    pid: process.pid,
  });
  await writeFile(
    join(binDir, 'jupyter'),
    [
      '#!/bin/sh',
      'if [ "$1" = server ] && [ "$2" = list ]; then',
      `  echo '${listing}'`,
      '  exit 0',
      'fi',
      'exit 1',
      '',
    ].join('\n'),
  );
  await chmod(join(binDir, 'jupyter'), 0o755);
  // The extension looks for `jupyter-lab` to know the instance has JupyterLab (and opens /lab).
  await writeFile(join(binDir, 'jupyter-lab'), '#!/bin/sh\nexit 1\n');
  await chmod(join(binDir, 'jupyter-lab'), 0o755);
  return {
    port,
    token,
    binDir,
    signedInText,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(binDir, { recursive: true, force: true });
    },
  };
}
