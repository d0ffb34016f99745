// `npm run smoke:live`: read-only calls against the real Spheron API with SPHERON_API_KEY, to find
// out where our contract (../shared/spheron-api.md, src/core/api/schemas.ts) is wrong. For each
// endpoint it prints whether our schemas accept the answer, the items they had to leave out and
// why, and every field and enum value we do not know. The key, ids and names never print: only
// field names, paths, counts and enum values (statuses, instance types, provider slugs).
import { SchemaError, SpheronError } from '../src/core/api/errors';
import {
  normalizeBalance,
  normalizeDeploymentPage,
  normalizeOfferPage,
  normalizeProviders,
  normalizeSshKeys,
  normalizeTeams,
  normalizeVolumePage,
} from '../src/core/api/normalize';
import { errorFromResponse } from '../src/core/api/responseErrors';
import {
  deploymentSchema,
  offerGroupSchema,
  offerPageSchema,
  offerSchema,
  sshKeySchema,
  teamSchema,
  volumeSchema,
} from '../src/core/api/schemas';
import { DEFAULT_MAX_RESPONSE_BYTES, loadUndiciTransport } from '../src/core/api/transport';
import type { Transport } from '../src/core/api/transport';
import {
  KNOWN_DEPLOYMENT_STATUSES,
  KNOWN_INSTANCE_TYPES,
  KNOWN_VOLUME_STATUSES,
} from '../src/core/domain/types';
import { API_KEY_ENV_VAR } from '../src/core/account/apiKey';
import { DEFAULT_API_BASE_URL, isAllowedApiUrl } from '../src/core/settings/settings';

/** Provider slugs the contract lists (§4.1); anything else is reported as unknown. */
const KNOWN_PROVIDERS = [
  'voltage-park',
  'voltagepark',
  'data-crunch',
  'datacrunch',
  'verda',
  'sesterce',
  'massed-compute',
  'spheron-ai',
  'spheron-es',
  'spheron-am',
  'tensordock',
];

export interface SmokeOptions {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly print: (line: string) => void;
  /** Defaults to the extension's own undici transport. */
  readonly transport?: Transport;
}

interface Findings {
  readonly unknownFields: Map<string, number>;
  /** Fields our schemas know that the answer left out. */
  readonly missingFields: Map<string, number>;
  readonly unknownValues: Map<string, number>;
  readonly notes: string[];
}

function shapeKeys(schema: unknown): ReadonlySet<string> {
  return new Set(Object.keys((schema as { shape: Record<string, unknown> }).shape));
}

const KNOWN_KEYS = {
  offerPage: shapeKeys(offerPageSchema),
  group: shapeKeys(offerGroupSchema),
  offer: shapeKeys(offerSchema),
  deployment: shapeKeys(deploymentSchema),
  volume: shapeKeys(volumeSchema),
  sshKey: shapeKeys(sshKeySchema),
  team: shapeKeys(teamSchema),
  balance: new Set(['teams', 'currency']),
  listWrapper: new Set([
    'data',
    'deployments',
    'volumes',
    'sshKeys',
    'teams',
    'total',
    'page',
    'limit',
    'totalPages',
  ]),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function noteUnknownFields(
  findings: Findings,
  where: string,
  value: unknown,
  known: ReadonlySet<string>,
): void {
  if (!isRecord(value)) {
    return;
  }
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      count(findings.unknownFields, `${where}.${key}`);
    }
  }
}

function noteValue(findings: Findings, field: string, value: unknown, known: readonly string[]): void {
  if (typeof value === 'string' && value !== '' && !known.includes(value)) {
    // Enum values only (statuses, types, slugs): short, and never an id or a name.
    count(findings.unknownValues, `${field} = ${JSON.stringify(value.slice(0, 40))}`);
  }
}

/** A list's items, bare or wrapped. */
function itemsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) {
    return body;
  }
  if (isRecord(body)) {
    const list = Object.values(body).find(Array.isArray);
    return list ?? [];
  }
  return [];
}

/** Normalizer notes without the ids and names they may quote. */
function redactNote(note: string): string {
  return note
    .replace(/ \(“[^”]*”\)/g, '')
    .replace(/^Instance \S+:/, 'Instance [id]:')
    .replace(/“[^”]*”/g, '“…”');
}

interface Check {
  readonly endpoint: string;
  readonly path: string;
  readonly auth: boolean;
  readonly read: (bodyText: string, warn: (note: string) => void) => string;
  readonly inspect: (body: unknown, findings: Findings) => void;
}

function checks(teamId: () => string | undefined): Check[] {
  return [
    {
      endpoint: 'GET /api/providers',
      path: '/api/providers',
      auth: false,
      read: (text, warn) => `${normalizeProviders('GET /api/providers', text, warn).length} providers`,
      inspect: (body, findings) => {
        for (const slug of itemsOf(body)) {
          noteValue(findings, 'provider', slug, KNOWN_PROVIDERS);
        }
      },
    },
    {
      endpoint: 'GET /api/gpu-offers',
      path: '/api/gpu-offers?page=1&limit=100',
      auth: true,
      read: (text, warn) => {
        const page = normalizeOfferPage('GET /api/gpu-offers', text, { page: 1, limit: 100 }, warn);
        const offers = page.groups.reduce((sum, group) => sum + group.offers.length, 0);
        return `${offers} offers in ${page.groups.length} groups on page 1 of ${page.totalPages}${page.rejected ? ` (${page.rejected} left out)` : ''}`;
      },
      inspect: (body, findings) => {
        noteUnknownFields(findings, 'page', body, KNOWN_KEYS.offerPage);
        for (const group of isRecord(body) ? itemsOf(body['data']) : []) {
          noteUnknownFields(findings, 'group', group, KNOWN_KEYS.group);
          for (const offer of isRecord(group) ? itemsOf(group['offers']) : []) {
            noteUnknownFields(findings, 'offer', offer, KNOWN_KEYS.offer);
            if (isRecord(offer)) {
              noteValue(findings, 'offer.instanceType', offer['instanceType'], KNOWN_INSTANCE_TYPES);
              noteValue(findings, 'offer.provider', offer['provider'], KNOWN_PROVIDERS);
              for (const [field, value] of Object.entries(offer)) {
                if (
                  typeof value === 'string' &&
                  /^(price|vcpus|memory|storage|gpuCount|gpu_memory)$/.test(field)
                ) {
                  count(findings.unknownValues, `offer.${field} sent as a string`);
                }
              }
            }
          }
        }
      },
    },
    {
      endpoint: 'GET /api/balance',
      path: '/api/balance',
      auth: true,
      read: (text) => `${normalizeBalance('GET /api/balance', text).teams.length} teams`,
      inspect: (body, findings) => {
        noteUnknownFields(findings, 'balance', body, KNOWN_KEYS.balance);
        for (const team of isRecord(body) ? itemsOf(body['teams']) : []) {
          noteUnknownFields(findings, 'balance.team', team, KNOWN_KEYS.team);
        }
      },
    },
    {
      endpoint: 'GET /api/teams',
      path: '/api/teams',
      auth: true,
      read: (text, warn) => `${normalizeTeams('GET /api/teams', text, warn).length} teams`,
      inspect: (body, findings) => {
        noteUnknownFields(findings, 'list', body, KNOWN_KEYS.listWrapper);
        for (const team of itemsOf(body)) {
          noteUnknownFields(findings, 'team', team, KNOWN_KEYS.team);
        }
      },
    },
    {
      endpoint: 'GET /api/deployments',
      get path() {
        const team = teamId();
        return team ? `/api/deployments?teamId=${encodeURIComponent(team)}` : '/api/deployments';
      },
      auth: true,
      read: (text, warn) => {
        const page = normalizeDeploymentPage('GET /api/deployments', text, warn);
        return `${page.items.length} deployments${page.rejected ? ` (${page.rejected} left out)` : ''}`;
      },
      inspect: (body, findings) => {
        noteUnknownFields(findings, 'list', body, KNOWN_KEYS.listWrapper);
        for (const deployment of itemsOf(body)) {
          noteUnknownFields(findings, 'deployment', deployment, KNOWN_KEYS.deployment);
          if (isRecord(deployment)) {
            noteValue(findings, 'deployment.status', deployment['status'], KNOWN_DEPLOYMENT_STATUSES);
            noteValue(findings, 'deployment.instanceType', deployment['instanceType'], KNOWN_INSTANCE_TYPES);
            for (const field of [
              'instanceType',
              'vcpus',
              'memory',
              'storage',
              'user',
              'sshPort',
              'sshCommand',
            ]) {
              if (!(field in deployment)) {
                count(findings.missingFields, `deployment.${field}`);
              }
            }
          }
        }
      },
    },
    {
      endpoint: 'GET /api/volumes',
      path: '/api/volumes?page=1&limit=100',
      auth: true,
      read: (text, warn) => {
        const page = normalizeVolumePage('GET /api/volumes', text, warn);
        return `${page.items.length} volumes${page.rejected ? ` (${page.rejected} left out)` : ''}`;
      },
      inspect: (body, findings) => {
        noteUnknownFields(findings, 'list', body, KNOWN_KEYS.listWrapper);
        for (const volume of itemsOf(body)) {
          noteUnknownFields(findings, 'volume', volume, KNOWN_KEYS.volume);
          if (isRecord(volume)) {
            noteValue(findings, 'volume.status', volume['status'], KNOWN_VOLUME_STATUSES);
          }
        }
      },
    },
    {
      endpoint: 'GET /api/ssh-keys',
      path: '/api/ssh-keys',
      auth: true,
      read: (text, warn) => {
        const keys = normalizeSshKeys('GET /api/ssh-keys', text, warn);
        return `${keys.length} SSH keys${keys.rejected ? ` (${keys.rejected} left out)` : ''}`;
      },
      inspect: (body, findings) => {
        noteUnknownFields(findings, 'list', body, KNOWN_KEYS.listWrapper);
        for (const key of itemsOf(body)) {
          noteUnknownFields(findings, 'sshKey', key, KNOWN_KEYS.sshKey);
        }
      },
    },
  ];
}

function describeFailure(error: unknown, key: string | undefined): string {
  const text =
    error instanceof SpheronError ? error.message : error instanceof Error ? error.message : String(error);
  return key ? text.split(key).join('[key]') : text;
}

/** Runs every check; resolves with the process exit code (1 when an endpoint was not accepted). */
export async function runSmokeLive(options: SmokeOptions): Promise<number> {
  const { baseUrl, apiKey, print } = options;
  if (!apiKey) {
    print(`${API_KEY_ENV_VAR} is not set, so there is nothing to check.`);
    print(`Run it with a key from the dashboard (Settings → API): ${API_KEY_ENV_VAR}=… npm run smoke:live`);
    return 0;
  }
  if (!isAllowedApiUrl(baseUrl)) {
    print(`Refusing to send the key to ${baseUrl}: https:// only (http:// for this machine).`);
    return 2;
  }
  const transport = options.transport ?? (await loadUndiciTransport());
  print(`Spheron live smoke check against ${baseUrl} (read-only; the key, ids and names are not printed)`);
  let currentTeamId: string | undefined;
  let failures = 0;
  try {
    for (const check of checks(() => currentTeamId)) {
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'User-Agent': 'spheron-vscode-smoke-live',
        ...(check.auth ? { Authorization: `Bearer ${apiKey}` } : {}),
      };
      const findings: Findings = {
        unknownFields: new Map(),
        missingFields: new Map(),
        unknownValues: new Map(),
        notes: [],
      };
      let verdict: string;
      try {
        const response = await transport.request({
          method: 'GET',
          url: `${baseUrl}${check.path}`,
          headers,
          signal: AbortSignal.timeout(30_000),
          maxBodyBytes: DEFAULT_MAX_RESPONSE_BYTES,
        });
        if (response.status < 200 || response.status >= 300) {
          throw errorFromResponse({
            endpoint: check.endpoint,
            status: response.status,
            headers: response.headers,
            bodyText: response.bodyText,
            nowMs: Date.now(),
            secret: apiKey,
          });
        }
        try {
          check.inspect(JSON.parse(response.bodyText) as unknown, findings);
        } catch {
          // Not JSON: the normalizer below says so.
        }
        verdict = `accepted: ${check.read(response.bodyText, (note) => findings.notes.push(redactNote(note)))}`;
        if (check.endpoint === 'GET /api/balance') {
          const balance = normalizeBalance(check.endpoint, response.bodyText);
          currentTeamId = (balance.teams.find((team) => team.isCurrentTeam) ?? balance.teams[0])?.teamId;
        }
      } catch (error) {
        failures++;
        verdict =
          error instanceof SchemaError
            ? `NOT accepted: ${error.issuePath ? `${error.issuePath}: ` : ''}${error.issue}`
            : `failed: ${describeFailure(error, apiKey)}`;
      }
      print(`${check.endpoint.padEnd(22)} ${verdict}`);
      for (const note of findings.notes) {
        print(`    ${note}`);
      }
      for (const [field, times] of [...findings.unknownFields].sort()) {
        print(`    unknown field ${field} (${times}×)`);
      }
      for (const [field, times] of [...findings.missingFields].sort()) {
        print(`    missing field ${field} (${times}×)`);
      }
      for (const [value, times] of [...findings.unknownValues].sort()) {
        print(`    unknown value ${value} (${times}×)`);
      }
    }
  } finally {
    if (!options.transport) {
      await transport.close?.();
    }
  }
  print(
    failures === 0
      ? 'Every endpoint was accepted. Unknown fields and values above (if any) are what the contract misses.'
      : `${failures} endpoint(s) were not accepted: please report the lines above (they hold no key, id or name).`,
  );
  return failures === 0 ? 0 : 1;
}

/** The base URL from SPHERON_API_BASE_URL, else the default API. */
export function smokeBaseUrl(env: Readonly<Record<string, string | undefined>>): string {
  return (env['SPHERON_API_BASE_URL']?.trim() || DEFAULT_API_BASE_URL).replace(/\/+$/, '');
}
