// Commands run on the instance over ssh (returned as strings so the UI can show them first) and
// parsers for what they print. Remote output is untrusted: parsers validate every field.
import { isPortNumber } from './validate';

/** POSIX shell single-quoting. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// Non-interactive ssh shells often miss conda/pip user paths.
const PATH_PREFIX = 'PATH="$HOME/.local/bin:$HOME/miniconda3/bin:$HOME/anaconda3/bin:/opt/conda/bin:$PATH"';

/** Lists running Jupyter servers: jupyter_server first, then the classic notebook (JSON, then text). */
export function jupyterListCommand(): string {
  return (
    `${PATH_PREFIX}; { jupyter server list --json 2>/dev/null || jupyter notebook list --json 2>/dev/null ` +
    '|| jupyter notebook list 2>/dev/null; } | head -c 262144'
  );
}

export interface JupyterServer {
  readonly port: number;
  readonly token: string;
  /** Always starts and ends with `/`. */
  readonly baseUrl: string;
  readonly rootDir: string | undefined;
  readonly pid: number | undefined;
}

/**
 * Accepts JSON objects one per line (`--json`), a JSON array (`--jsonlist`) and the old text form
 * `http://localhost:8888/?token=abc :: /home/user`. Unusable entries are dropped.
 */
export function parseJupyterServers(output: string): JupyterServer[] {
  const servers: JupyterServer[] = [];
  const trimmed = output.trim();
  if (trimmed.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(trimmed);
      if (Array.isArray(list)) {
        for (const entry of list) {
          pushIfValid(servers, fromJson(entry));
        }
        return servers;
      }
    } catch {
      // fall through to line-by-line
    }
  }
  for (const line of output.split(/\r?\n/)) {
    const text = line.trim();
    if (text.startsWith('{')) {
      try {
        pushIfValid(servers, fromJson(JSON.parse(text)));
      } catch {
        // not JSON after all
      }
    } else if (/^https?:\/\//.test(text)) {
      pushIfValid(servers, fromText(text));
    }
  }
  return servers;
}

function pushIfValid(servers: JupyterServer[], server: JupyterServer | undefined): void {
  if (server) {
    servers.push(server);
  }
}

function fromJson(value: unknown): JupyterServer | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const port = record.port;
  if (!isPortNumber(port)) {
    return undefined;
  }
  const token = typeof record.token === 'string' ? record.token : '';
  const root =
    typeof record.root_dir === 'string'
      ? record.root_dir
      : typeof record.notebook_dir === 'string'
        ? record.notebook_dir
        : undefined;
  const pid = typeof record.pid === 'number' && Number.isInteger(record.pid) ? record.pid : undefined;
  return { port, token, baseUrl: normaliseBaseUrl(record.base_url), rootDir: root, pid };
}

function fromText(line: string): JupyterServer | undefined {
  const [urlText, root] = line.split(' :: ');
  let url: URL;
  try {
    url = new URL(urlText ?? '');
  } catch {
    return undefined;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!isPortNumber(port)) {
    return undefined;
  }
  const base = url.pathname.replace(/(?:lab|tree)\/?$/, '');
  return {
    port,
    token: url.searchParams.get('token') ?? '',
    baseUrl: normaliseBaseUrl(base),
    rootDir: root?.trim() || undefined,
    pid: undefined,
  };
}

function normaliseBaseUrl(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9/_.~-]*$/.test(value)) {
    return '/';
  }
  const withLeading = value.startsWith('/') ? value : `/${value}`;
  return withLeading.endsWith('/') ? withLeading : `${withLeading}/`;
}

export function pickJupyterServer(
  servers: readonly JupyterServer[],
  remotePort: number,
): JupyterServer | undefined {
  return servers.find((server) => server.port === remotePort);
}

/** Which Jupyter front end a server has; decides the page to open and how to start one. */
export type JupyterFlavour = 'lab' | 'notebook' | 'server';

/** Preferred first: JupyterLab, then the classic Notebook (Debian's `jupyter-notebook`), then a bare server. */
const JUPYTER_FLAVOURS: readonly JupyterFlavour[] = ['lab', 'notebook', 'server'];
const FLAVOUR_MARK = 'SPHERON_JUPYTER_';

/** Prints one marker line per `jupyter-<flavour>` executable the instance has. */
export function jupyterFlavoursCommand(): string {
  const checks = JUPYTER_FLAVOURS.map(
    (flavour) => `if command -v jupyter-${flavour} >/dev/null 2>&1; then echo ${FLAVOUR_MARK}${flavour}; fi`,
  );
  return `${PATH_PREFIX}; ${checks.join('; ')}; echo ${FLAVOUR_MARK}done`;
}

/**
 * The installed flavours, best first; undefined when the output is not from
 * jupyterFlavoursCommand (the command did not run).
 */
export function parseJupyterFlavours(output: string): JupyterFlavour[] | undefined {
  const lines = new Set(output.split(/\r?\n/).map((line) => line.trim()));
  if (!lines.has(`${FLAVOUR_MARK}done`)) {
    return undefined;
  }
  return JUPYTER_FLAVOURS.filter((flavour) => lines.has(`${FLAVOUR_MARK}${flavour}`));
}

const FLAVOUR_PAGE: Record<JupyterFlavour, string> = { lab: 'lab', notebook: 'tree', server: '' };

/** `http://127.0.0.1:<local><base><page>?token=…` (`lab`, `tree` or the root), for the browser here. */
export function jupyterBrowserUrl(
  server: Pick<JupyterServer, 'token' | 'baseUrl'>,
  localPort: number,
  flavour: JupyterFlavour = 'lab',
): string {
  const query = server.token === '' ? '' : `?token=${encodeURIComponent(server.token)}`;
  return `http://127.0.0.1:${localPort}${server.baseUrl}${FLAVOUR_PAGE[flavour]}${query}`;
}

function requirePort(port: number): number {
  if (!isPortNumber(port)) {
    throw new Error(`Invalid port ${String(port)}.`);
  }
  return port;
}

/**
 * Jupyter forbids framing by other origins (`frame-ancestors 'self'`), which blanks the page in the
 * editor's Simple Browser. Servers we start allow the editor's own origins: VS Code's webviews and
 * a loopback code-server; other sites still cannot frame it.
 */
export const EDITOR_FRAME_ANCESTORS =
  "frame-ancestors 'self' vscode-webview: vscode-file: http://127.0.0.1:* http://localhost:*";

function frameableOption(app: 'ServerApp' | 'NotebookApp'): string {
  const settings = JSON.stringify({ headers: { 'Content-Security-Policy': EDITOR_FRAME_ANCESTORS } });
  return `--${app}.tornado_settings=${shellQuote(settings)}`;
}

/**
 * Whether a page with these response headers may be shown in the editor's Simple Browser: no
 * X-Frame-Options, and no frame-ancestors directive that leaves out VS Code's webviews.
 */
export function allowsEditorFraming(headers: { get(name: string): string | null }): boolean {
  if (headers.get('x-frame-options')) {
    return false;
  }
  const ancestors = (headers.get('content-security-policy') ?? '')
    .split(';')
    .map((directive) => directive.trim().split(/\s+/))
    .find(([name]) => name?.toLowerCase() === 'frame-ancestors');
  return (
    ancestors === undefined ||
    ancestors.slice(1).some((source) => source === '*' || source === 'vscode-webview:')
  );
}

// Instances often log in as root, where Jupyter refuses to start without --allow-root.
const ALLOW_ROOT = '$([ "$(id -u)" = 0 ] && echo --allow-root)';

/**
 * Starts Jupyter in the background, bound to the instance's loopback only and never hopping to
 * another port (the tunnel forwards exactly this one). `notebook` is the classic Notebook (6.x on
 * Debian, whose options live under NotebookApp; 7.x accepts the same aliases).
 */
export function startJupyterCommand(
  port: number,
  options: { rootDir?: string; flavour?: JupyterFlavour } = {},
): string {
  const flavour = options.flavour ?? 'lab';
  const portOptions =
    flavour === 'notebook'
      ? `--port ${requirePort(port)} --port-retries=0`
      : `--port ${requirePort(port)} --ServerApp.port_retries=0`;
  const root =
    options.rootDir === undefined
      ? ''
      : flavour === 'notebook'
        ? ` --notebook-dir=${shellQuote(options.rootDir)}`
        : ` --ServerApp.root_dir=${shellQuote(options.rootDir)}`;
  // The classic Notebook 6 reads NotebookApp, 7 reads ServerApp; each ignores the other's.
  const frameable =
    flavour === 'notebook'
      ? `${frameableOption('NotebookApp')} ${frameableOption('ServerApp')}`
      : frameableOption('ServerApp');
  return (
    `${PATH_PREFIX}; nohup jupyter ${flavour} --no-browser --ip 127.0.0.1 ${portOptions}${root} ${frameable} ${ALLOW_ROOT} ` +
    '> "$HOME/.spheron-jupyter.log" 2>&1 < /dev/null &'
  );
}

/** Starts TensorBoard in the background on the instance's loopback (never --bind_all). */
export function startTensorBoardCommand(port: number, logDir: string): string {
  return (
    `${PATH_PREFIX}; nohup tensorboard --logdir ${shellQuote(logDir)} --host 127.0.0.1 --port ${requirePort(port)} ` +
    '> "$HOME/.spheron-tensorboard.log" 2>&1 < /dev/null &'
  );
}

const PROBE_OPEN = 'SPHERON_PORT_OPEN';
const PROBE_CLOSED = 'SPHERON_PORT_CLOSED';

/** Whether something accepts TCP on the instance's 127.0.0.1:<port> (bash's /dev/tcp). */
export function portProbeCommand(port: number): string {
  return `if bash -c 'exec 3<>/dev/tcp/127.0.0.1/${requirePort(port)}' 2>/dev/null; then echo ${PROBE_OPEN}; else echo ${PROBE_CLOSED}; fi`;
}

/** true/false, or undefined when the output is not from portProbeCommand. */
export function parsePortProbe(output: string): boolean | undefined {
  if (output.includes(PROBE_OPEN)) {
    return true;
  }
  return output.includes(PROBE_CLOSED) ? false : undefined;
}

const NO_TOOL = 'SPHERON_NO_SS';

/** Listening TCP sockets, from `ss` or `netstat`. */
export function listeningPortsCommand(): string {
  return `if command -v ss >/dev/null 2>&1; then ss -Hltn; elif command -v netstat >/dev/null 2>&1; then netstat -ltn; else echo ${NO_TOOL}; fi`;
}

/** Ports in LISTEN state; undefined when neither tool exists on the instance. */
export function parseListeningPorts(output: string): Set<number> | undefined {
  if (output.includes(NO_TOOL)) {
    return undefined;
  }
  const ports = new Set<number>();
  for (const line of output.split(/\r?\n/)) {
    if (!/LISTEN/i.test(line)) {
      continue;
    }
    // The first address:port column is the local address in both ss and netstat output.
    const local = line
      .trim()
      .split(/\s+/)
      .find((column) => /:\d+$/.test(column));
    const port = Number(local?.slice(local.lastIndexOf(':') + 1));
    if (isPortNumber(port)) {
      ports.add(port);
    }
  }
  return ports;
}
