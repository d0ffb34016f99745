import * as z from 'zod/mini';

export const DEFAULT_API_BASE_URL = 'https://app.spheron.ai';
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
const MAX_REQUEST_TIMEOUT_SECONDS = 300;

const forwardPortSchema = z.object({
  label: z.string().check(z.minLength(1), z.maxLength(40)),
  remotePort: z.number().check(z.int(), z.gte(1), z.lte(65535)),
});

export type ForwardPort = z.infer<typeof forwardPortSchema>;

export const DEFAULT_FORWARD_PORTS: readonly ForwardPort[] = [
  { label: 'Jupyter', remotePort: 8888 },
  { label: 'TensorBoard', remotePort: 6006 },
];

/** Settings as the rest of the extension sees them, parsed once per read. */
export interface Settings {
  readonly apiBaseUrl: string;
  /** How long one attempt of an API request may take before it counts as timed out. */
  readonly requestTimeoutSeconds: number;
  readonly forwardPorts: readonly ForwardPort[];
  /** Write `~/.ssh/spheron/config` and its Include; off leaves every SSH file alone. */
  readonly sshManageConfig: boolean;
  /** Our own SSH config file; undefined means `~/.ssh/spheron/config`. */
  readonly sshOurConfigPath: string | undefined;
  /** Private key for `IdentityFile`; undefined means the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  readonly sshIdentityFile: string | undefined;
  /** Where `tensorboard --logdir` points when we start TensorBoard. */
  readonly tensorBoardLogDir: string;
  /** How long the SSH terminal and Check SSH Setup wait for a host to answer. */
  readonly sshConnectTimeoutSeconds: number;
}

/** Reads one setting; the vscode layer passes `WorkspaceConfiguration.get`. */
export type SettingReader = (key: string) => unknown;

/** `localhost`, `127.0.0.0/8` or `[::1]`: a server on this machine (the simulator). */
export function isLoopbackUrl(value: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(value).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/**
 * Whether the client may talk to this URL: https anywhere, http only to this machine (the key
 * would cross the network in clear text otherwise).
 */
export function isAllowedApiUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(value));
  } catch {
    return false;
  }
}

function parseBaseUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    return DEFAULT_API_BASE_URL;
  }
  try {
    const url = new URL(value.trim());
    if (!isAllowedApiUrl(url.toString())) {
      return DEFAULT_API_BASE_URL;
    }
    // Credentials in the URL would leak into logs; drop them.
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return DEFAULT_API_BASE_URL;
  }
}

function parseTimeoutSeconds(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1
    ? Math.min(MAX_REQUEST_TIMEOUT_SECONDS, value)
    : DEFAULT_REQUEST_TIMEOUT_SECONDS;
}

export const DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS = 20;
const MAX_SSH_CONNECT_TIMEOUT_SECONDS = 300;

function parseSshConnectTimeout(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1
    ? Math.min(MAX_SSH_CONNECT_TIMEOUT_SECONDS, value)
    : DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function parseSettings(read: SettingReader): Settings {
  const ports = z.array(forwardPortSchema).safeParse(read('forwardPorts'));
  const manage = read('ssh.manageConfig');
  return {
    apiBaseUrl: parseBaseUrl(read('apiBaseUrl')),
    requestTimeoutSeconds: parseTimeoutSeconds(read('requestTimeoutSeconds')),
    forwardPorts: ports.success ? ports.data : DEFAULT_FORWARD_PORTS,
    sshManageConfig: typeof manage === 'boolean' ? manage : true,
    sshOurConfigPath: optionalText(read('ssh.configPath')),
    sshIdentityFile: optionalText(read('ssh.identityFile')),
    tensorBoardLogDir: optionalText(read('tensorBoard.logDir')) ?? '~/runs',
    sshConnectTimeoutSeconds: parseSshConnectTimeout(read('ssh.connectTimeoutSeconds')),
  };
}
