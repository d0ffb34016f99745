// Defaults and validation of SimulatorOptions, shared by startSimulator, configure() and POST /__sim/config.
import { SIMULATOR_PROFILES, type SimulatorProfile } from './realWorld';
import type { CatalogueSize, SimulatorConfig, SimulatorOptions } from './types';

export const DEFAULT_API_KEY = 'sim-demo-key';

export const DEFAULT_CONFIG: SimulatorConfig = {
  apiKeys: [DEFAULT_API_KEY],
  catalogue: 'seed',
  deployDelaySeconds: 45,
  ipAssignDelaySeconds: 1,
  kubernetesReadySeconds: 120,
  minimumRuntimeMinutes: 20,
  rateLimit: { general: 100, creates: 10, windowSeconds: 900 },
  insufficientBalanceStatus: 402,
  sshHost: null,
  sshPort: null,
  sshUser: null,
  listShape: 'bare',
  idField: 'id',
  requireUserAgent: true,
  seedDeployments: true,
  profile: 'default',
};

/** Thrown for an option value the simulator cannot run with. */
export class SimulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}

const OPTION_KEYS = new Set<string>([
  'port',
  'apiKeys',
  'catalogue',
  'deployDelaySeconds',
  'ipAssignDelaySeconds',
  'kubernetesReadySeconds',
  'minimumRuntimeMinutes',
  'rateLimit',
  'insufficientBalanceStatus',
  'sshHost',
  'sshPort',
  'sshUser',
  'listShape',
  'idField',
  'requireUserAgent',
  'seedDeployments',
  'profile',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SimulatorConfigError(`${name} must be a non-negative number`);
  }
  return value;
}

function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new SimulatorConfigError(`${name} must be a positive integer`);
  }
  return value;
}

function nullableString(name: string, value: unknown): string | null {
  if (value === null) {
    return null;
  }
  if (typeof value !== 'string' || value === '') {
    throw new SimulatorConfigError(`${name} must be a non-empty string or null`);
  }
  return value;
}

function parseCatalogue(value: unknown): 'seed' | CatalogueSize {
  if (value === 'seed') {
    return 'seed';
  }
  if (!isRecord(value)) {
    throw new SimulatorConfigError("catalogue must be 'seed' or {groups, offersPerGroup, seed?}");
  }
  const size: CatalogueSize = {
    groups: positiveInt('catalogue.groups', value.groups),
    offersPerGroup: positiveInt('catalogue.offersPerGroup', value.offersPerGroup),
  };
  if (value.seed === undefined) {
    return size;
  }
  if (typeof value.seed !== 'number' || !Number.isInteger(value.seed)) {
    throw new SimulatorConfigError('catalogue.seed must be an integer');
  }
  return { ...size, seed: value.seed };
}

/**
 * Applies `partial` (options as given in code, or an untrusted JSON body) on top of `base`.
 * `port` is accepted and ignored: it only matters at start.
 */
export function applyOptions(base: SimulatorConfig, partial: unknown): SimulatorConfig {
  if (!isRecord(partial)) {
    throw new SimulatorConfigError('options must be an object');
  }
  for (const key of Object.keys(partial)) {
    if (!OPTION_KEYS.has(key)) {
      throw new SimulatorConfigError(`unknown option: ${key}`);
    }
  }
  const next: { -readonly [K in keyof SimulatorConfig]: SimulatorConfig[K] } = { ...base };
  const p = partial as Record<keyof SimulatorOptions, unknown>;
  if (p.port !== undefined && (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 0)) {
    throw new SimulatorConfigError('port must be a non-negative integer');
  }
  if (p.apiKeys !== undefined) {
    if (!Array.isArray(p.apiKeys) || p.apiKeys.some((k) => typeof k !== 'string' || k === '')) {
      throw new SimulatorConfigError('apiKeys must be an array of non-empty strings');
    }
    next.apiKeys = [...(p.apiKeys as string[])];
  }
  if (p.catalogue !== undefined) {
    next.catalogue = parseCatalogue(p.catalogue);
  }
  if (p.deployDelaySeconds !== undefined) {
    next.deployDelaySeconds = nonNegative('deployDelaySeconds', p.deployDelaySeconds);
  }
  if (p.ipAssignDelaySeconds !== undefined) {
    next.ipAssignDelaySeconds = nonNegative('ipAssignDelaySeconds', p.ipAssignDelaySeconds);
  }
  if (p.kubernetesReadySeconds !== undefined) {
    next.kubernetesReadySeconds = nonNegative('kubernetesReadySeconds', p.kubernetesReadySeconds);
  }
  if (p.minimumRuntimeMinutes !== undefined) {
    next.minimumRuntimeMinutes = nonNegative('minimumRuntimeMinutes', p.minimumRuntimeMinutes);
  }
  if (p.rateLimit !== undefined) {
    if (!isRecord(p.rateLimit)) {
      throw new SimulatorConfigError('rateLimit must be an object');
    }
    const r = p.rateLimit;
    next.rateLimit = {
      general: r.general === undefined ? base.rateLimit.general : nonNegative('rateLimit.general', r.general),
      creates: r.creates === undefined ? base.rateLimit.creates : nonNegative('rateLimit.creates', r.creates),
      windowSeconds:
        r.windowSeconds === undefined
          ? base.rateLimit.windowSeconds
          : positiveInt('rateLimit.windowSeconds', r.windowSeconds),
    };
  }
  if (p.insufficientBalanceStatus !== undefined) {
    if (p.insufficientBalanceStatus !== 400 && p.insufficientBalanceStatus !== 402) {
      throw new SimulatorConfigError('insufficientBalanceStatus must be 400 or 402');
    }
    next.insufficientBalanceStatus = p.insufficientBalanceStatus;
  }
  if (p.sshHost !== undefined) {
    next.sshHost = nullableString('sshHost', p.sshHost);
  }
  if (p.sshUser !== undefined) {
    next.sshUser = nullableString('sshUser', p.sshUser);
  }
  if (p.sshPort !== undefined) {
    if (
      p.sshPort !== null &&
      (typeof p.sshPort !== 'number' || !Number.isInteger(p.sshPort) || p.sshPort < 1)
    ) {
      throw new SimulatorConfigError('sshPort must be a positive integer or null');
    }
    next.sshPort = p.sshPort;
  }
  if (p.listShape !== undefined) {
    if (p.listShape !== 'bare' && p.listShape !== 'wrapped') {
      throw new SimulatorConfigError("listShape must be 'bare' or 'wrapped'");
    }
    next.listShape = p.listShape;
  }
  if (p.idField !== undefined) {
    if (p.idField !== 'id' && p.idField !== '_id') {
      throw new SimulatorConfigError("idField must be 'id' or '_id'");
    }
    next.idField = p.idField;
  }
  if (p.requireUserAgent !== undefined) {
    if (typeof p.requireUserAgent !== 'boolean') {
      throw new SimulatorConfigError('requireUserAgent must be a boolean');
    }
    next.requireUserAgent = p.requireUserAgent;
  }
  if (p.seedDeployments !== undefined) {
    if (typeof p.seedDeployments !== 'boolean') {
      throw new SimulatorConfigError('seedDeployments must be a boolean');
    }
    next.seedDeployments = p.seedDeployments;
  }
  if (p.profile !== undefined) {
    if (!SIMULATOR_PROFILES.includes(p.profile as SimulatorProfile)) {
      throw new SimulatorConfigError(`profile must be one of ${SIMULATOR_PROFILES.join(', ')}`);
    }
    next.profile = p.profile as SimulatorProfile;
  }
  return next;
}
