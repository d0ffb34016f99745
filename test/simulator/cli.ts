// `npm run simulator -- --port N [--key K] [--big] [--deploy-delay S] [--min-runtime M]
//   [--ssh-host H --ssh-port P --ssh-user U] [--rate-limit GENERAL/CREATES] [--profile real-world]`
import { parseArgs } from 'node:util';
import { startSimulator } from './index';
import { SIMULATOR_PROFILES, type SimulatorProfile } from './realWorld';
import type { SimulatorOptions } from './types';

const USAGE =
  'usage: npm run simulator -- --port N [--key K] [--big] [--deploy-delay S] [--min-runtime M] ' +
  '[--ssh-host H --ssh-port P --ssh-user U] [--rate-limit GENERAL/CREATES] [--profile default|real-world]';

function numberArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new Error(`--${name} must be a non-negative number`);
  }
  return n;
}

function parseOptions(argv: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      key: { type: 'string' },
      big: { type: 'boolean', default: false },
      'deploy-delay': { type: 'string' },
      'min-runtime': { type: 'string' },
      'ssh-host': { type: 'string' },
      'ssh-port': { type: 'string' },
      'ssh-user': { type: 'string' },
      'rate-limit': { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let rateLimit: SimulatorOptions['rateLimit'];
  if (values['rate-limit'] !== undefined) {
    const [general, creates] = values['rate-limit'].split('/').map((v) => numberArg('rate-limit', v));
    rateLimit = { general, creates };
  }
  return {
    port: numberArg('port', values.port),
    ...(values.key ? { apiKeys: [values.key] } : {}),
    ...(values.big ? { catalogue: { groups: 300, offersPerGroup: 20 } } : {}),
    deployDelaySeconds: numberArg('deploy-delay', values['deploy-delay']),
    minimumRuntimeMinutes: numberArg('min-runtime', values['min-runtime']),
    sshHost: values['ssh-host'],
    sshPort: numberArg('ssh-port', values['ssh-port']),
    sshUser: values['ssh-user'],
    rateLimit,
    profile: parseProfile(values.profile),
  };
}

function parseProfile(value: string | undefined): SimulatorProfile | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!SIMULATOR_PROFILES.includes(value as SimulatorProfile)) {
    throw new Error(`--profile must be one of ${SIMULATOR_PROFILES.join(', ')}`);
  }
  return value as SimulatorProfile;
}

/** Drops undefined values so the simulator's defaults apply. */
function defined(options: SimulatorOptions): SimulatorOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

async function main(): Promise<void> {
  let options: SimulatorOptions;
  try {
    options = defined(parseOptions(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    process.exit(2);
  }
  const sim = await startSimulator(options);
  console.log(`Spheron simulator listening on ${sim.url}`);
  console.log(`API key: ${sim.apiKey}`);
  console.log(`Set "spheron.apiBaseUrl": "${sim.url}" and sign in with the key above. Ctrl+C stops.`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
