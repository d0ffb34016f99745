// Run in a child process by client.lazyTransport.test.ts: proves undici stays unloaded until the
// client's first request. Prints one JSON line.
import { SpheronClient } from '../../../src/core/api/client';

function undiciLoaded(): boolean {
  return Object.keys(require.cache).some((path) => /[\\/]node_modules[\\/]undici[\\/]/.test(path));
}

async function main(): Promise<void> {
  const atStart = undiciLoaded();
  const client = new SpheronClient({
    baseUrl: process.env['SIM_URL'] ?? '',
    getApiKey: () => Promise.resolve(undefined),
    userAgent: 'spheron-vscode/0.1.0-test',
  });
  const afterConstruct = undiciLoaded();
  const providers = await client.listProviders();
  const afterRequest = undiciLoaded();
  await client.dispose();
  process.stdout.write(
    `${JSON.stringify({ atStart, afterConstruct, afterRequest, providers: providers.length })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
