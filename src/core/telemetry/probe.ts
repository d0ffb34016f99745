// What runs on the instance to read its load: GPU telemetry, the number of open SSH sessions and
// Jupyter's kernels, printed as one delimited frame. The same script runs once (the idle guard's
// check) or in a loop inside one long-lived ssh (the telemetry rows), so an instance never has
// more than one ssh process for telemetry. Remote output is untrusted: the frame parser
// validates every field.
import { parseKernels } from '../guard/jupyterKernels';
import type { KernelActivity } from '../guard/idleDecision';
import { gpuQueryCommand, parseGpuQuery, type GpuQueryResult } from './nvidiaSmi';

export const FRAME_BEGIN = '@@spheron-frame-begin';
export const FRAME_END = '@@spheron-frame-end';
const GPU_MISSING = '@@gpu-missing';
const GPU_EXIT = '@@gpu-exit';
const SESSIONS = '@@sessions';
const KERNELS = '@@kernels';

// Reads Jupyter's runtime files (what `jupyter server list` reads) and asks each server for its
// kernels with its own token, on the instance's loopback. Prints one JSON array.
const KERNELS_PY = [
  'import glob,json,os,urllib.request',
  'out=[]',
  "d=os.path.expanduser('~/.local/share/jupyter/runtime')",
  "for f in glob.glob(d+'/jpserver-*.json')+glob.glob(d+'/nbserver-*.json'):",
  ' try:',
  '  s=json.load(open(f))',
  "  u='http://127.0.0.1:%d%sapi/kernels'%(int(s['port']),s.get('base_url','/'))",
  "  r=urllib.request.Request(u,headers={'Authorization':'token '+s.get('token','')})",
  '  out+=json.load(urllib.request.urlopen(r,timeout=3))',
  ' except Exception: pass',
  'print(json.dumps(out))',
].join('\n');

// Counts `sshd: user@…` session processes under the sshd that serves this probe (found by
// walking up from the probe's shell), so another sshd on the machine is not counted. Falls back
// to every session when no listener is found.
const SESSIONS_AWK = [
  '{ p=$1; pp[p]=$2; $1=""; $2=""; a[p]=substr($0,3) }',
  'END { L=""; p=me; while ((p in pp) && p>1) { if (a[p] ~ /^sshd:.*\\[listener\\]|^\\/usr\\/sbin\\/sshd|^sshd -/) { L=p; break }; p=pp[p] }',
  'n=0; for (q in a) if (a[q] ~ /^sshd(-session)?: [^ ]+@/) { if (L=="") { n++; continue }; r=q; while ((r in pp) && r>1) { if (r==L) { n++; break }; r=pp[r] } }',
  'print n }',
].join(' ');

/** One frame's worth of shell. The probe's own session is subtracted when the frame is parsed. */
function frameScript(): string {
  return [
    `echo ${FRAME_BEGIN}`,
    `if command -v nvidia-smi >/dev/null 2>&1; then ${gpuQueryCommand()} 2>&1; echo "${GPU_EXIT} $?"; else echo ${GPU_MISSING}; fi`,
    `echo "${SESSIONS} $(ps -eo pid=,ppid=,args= 2>/dev/null | awk -v me=$$ '${SESSIONS_AWK}')"`,
    `if command -v python3 >/dev/null 2>&1; then echo "${KERNELS} $(python3 -c "$SPHERON_KERNELS_PY" 2>/dev/null)"; fi`,
    `echo ${FRAME_END}`,
  ].join('; ');
}

function withKernelScript(body: string): string {
  return `SPHERON_KERNELS_PY='${KERNELS_PY.replace(/'/g, `'\\''`)}'; ${body}`;
}

/** A single frame (the idle guard's check). */
export function probeOnceCommand(): string {
  return withKernelScript(frameScript());
}

/** Frames every `intervalSeconds` until the connection closes. */
export function probeLoopCommand(intervalSeconds: number): string {
  const seconds = Math.max(1, Math.round(intervalSeconds));
  return withKernelScript(`while :; do ${frameScript()}; sleep ${seconds}; done`);
}

export interface ProbeFrame {
  /** `missing`: no nvidia-smi on the instance. */
  readonly gpu: GpuQueryResult | { readonly kind: 'missing' };
  /** Open SSH sessions other than the probe's own; undefined when not reported. */
  readonly sshSessions: number | undefined;
  /** Undefined when python3 is missing; [] when no Jupyter server runs. */
  readonly kernels: readonly KernelActivity[] | undefined;
}

/** Parses the text between FRAME_BEGIN and FRAME_END. */
export function parseFrame(body: string): ProbeFrame {
  const gpuLines: string[] = [];
  let gpu: ProbeFrame['gpu'] | undefined;
  let sshSessions: number | undefined;
  let kernels: readonly KernelActivity[] | undefined;
  for (const line of body.split(/\r?\n/)) {
    if (line === GPU_MISSING) {
      gpu = { kind: 'missing' };
    } else if (line.startsWith(`${GPU_EXIT} `)) {
      const parsed = parseGpuQuery(gpuLines.join('\n'));
      gpu =
        parsed.kind === 'ok' || line === `${GPU_EXIT} 0`
          ? parsed
          : parsed.kind === 'driver-failure'
            ? parsed
            : { kind: 'unreadable', message: `nvidia-smi exited with ${line.slice(GPU_EXIT.length + 1)}` };
    } else if (line.startsWith(`${SESSIONS} `)) {
      const count = Number(line.slice(SESSIONS.length + 1));
      // Minus the probe's own session.
      sshSessions = Number.isInteger(count) && count >= 0 ? Math.max(0, count - 1) : undefined;
    } else if (line.startsWith(`${KERNELS} `)) {
      kernels = parseKernels(line.slice(KERNELS.length + 1));
    } else if (gpu === undefined) {
      gpuLines.push(line);
    }
  }
  return {
    gpu: gpu ?? { kind: 'unreadable', message: 'no GPU section in the probe output' },
    sshSessions,
    kernels,
  };
}

/**
 * Splits a stream of probe output into frames. Feed it chunks as they arrive; it calls `onFrame`
 * for each complete frame and keeps at most one frame's worth of text.
 */
export class FrameSplitter {
  #buffer = '';
  static readonly MAX_BUFFER = 256 * 1024;

  constructor(private readonly onFrame: (frame: ProbeFrame) => void) {}

  push(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      const begin = this.#buffer.indexOf(`${FRAME_BEGIN}\n`);
      if (begin < 0) {
        this.#buffer = this.#buffer.slice(-FRAME_BEGIN.length);
        return;
      }
      const end = this.#buffer.indexOf(`${FRAME_END}\n`, begin);
      if (end < 0) {
        this.#buffer = this.#buffer.slice(begin);
        if (this.#buffer.length > FrameSplitter.MAX_BUFFER) {
          this.#buffer = '';
        }
        return;
      }
      const body = this.#buffer.slice(begin + FRAME_BEGIN.length + 1, end);
      this.#buffer = this.#buffer.slice(end + FRAME_END.length + 1);
      this.onFrame(parseFrame(body));
    }
  }
}
