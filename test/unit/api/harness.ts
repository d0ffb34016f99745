// Shared set-up for the client tests: a real simulator on 127.0.0.1 and a SpheronClient whose
// transport is the real undici one, wrapped only to record what was sent.
import { generateKeyPairSync } from 'node:crypto';
import { SpheronClient } from '../../../src/core/api/client';
import type { ApiLogger, SpheronClientOptions } from '../../../src/core/api/client';
import { CancelledError } from '../../../src/core/api/errors';
import type { Sleep } from '../../../src/core/api/retry';
import { loadUndiciTransport } from '../../../src/core/api/transport';
import type { TransportRequest } from '../../../src/core/api/transport';
import type { CreateDeploymentRequest, Offer } from '../../../src/core/domain/types';
import { startSimulator } from '../../simulator';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export const USER_AGENT = 'spheron-vscode/0.1.0-test';

export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface ClientHarness {
  readonly client: SpheronClient;
  /** Every delay the client asked to sleep, in order. */
  readonly delays: number[];
  readonly logLines: string[];
  readonly sent: SentRequest[];
  /** How often the client loaded its transport. */
  readonly transportLoads: () => number;
}

/** Records delays and returns at once (still honouring an abort), so retries cost no time. */
export function recordingSleep(delays: number[]): Sleep {
  return (ms, signal) => {
    delays.push(ms);
    return signal?.aborted ? Promise.reject(new CancelledError()) : Promise.resolve();
  };
}

export function makeClient(sim: Sim, overrides: Partial<SpheronClientOptions> = {}): ClientHarness {
  const delays: number[] = [];
  const logLines: string[] = [];
  const sent: SentRequest[] = [];
  let loads = 0;
  const logger: ApiLogger = {
    debug: (message) => logLines.push(`debug ${message}`),
    info: (message) => logLines.push(`info ${message}`),
    warn: (message) => logLines.push(`warn ${message}`),
    error: (message) => logLines.push(`error ${message}`),
  };
  const client = new SpheronClient({
    baseUrl: sim.url,
    getApiKey: () => Promise.resolve(sim.apiKey),
    userAgent: USER_AGENT,
    timeoutMs: 5_000,
    logger,
    sleep: recordingSleep(delays),
    random: () => 0.5,
    loadTransport: async () => {
      loads++;
      const real = await loadUndiciTransport();
      return {
        request: (request: TransportRequest) => {
          sent.push({
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: request.body === undefined ? undefined : (JSON.parse(request.body) as unknown),
          });
          return real.request(request);
        },
        close: () => real.close?.() ?? Promise.resolve(),
      };
    },
    ...overrides,
  });
  return { client, delays, logLines, sent, transportLoads: () => loads };
}

/** Starts one simulator for a `describe` block and resets it before each test. */
export function useSimulator(options: Parameters<typeof startSimulator>[0] = {}): () => Sim {
  let sim: Sim | undefined;
  before(async () => {
    sim = await startSimulator({ port: 0, ...options });
  });
  beforeEach(() => {
    sim?.reset();
    sim?.clearFaults();
    sim?.resetRequestLog();
  });
  after(async () => {
    await sim?.close();
  });
  return () => {
    if (!sim) {
      throw new Error('simulator not started');
    }
    return sim;
  };
}

/** Requests the simulator logged for a route pattern such as `POST /api/deployments`. */
export function countRequests(sim: Sim, route: string): number {
  return sim.requestLog().byRoute[route] ?? 0;
}

export async function findOffer(client: SpheronClient, offerId: string): Promise<Offer> {
  const catalogue = await client.listAllGpuOffers({});
  const offer = catalogue.groups
    .flatMap((group) => group.offers)
    .find((candidate) => candidate.offerId === offerId);
  if (!offer) {
    throw new Error(`offer ${offerId} is not in the catalogue`);
  }
  return offer;
}

export async function currentTeamId(client: SpheronClient): Promise<string> {
  const balance = await client.getBalance();
  const team = balance.teams.find((candidate) => candidate.isCurrentTeam) ?? balance.teams[0];
  if (!team) {
    throw new Error('no team');
  }
  return team.teamId;
}

export function createRequestFor(
  offer: Offer,
  teamId: string,
  extra: Partial<CreateDeploymentRequest> = {},
): CreateDeploymentRequest {
  return {
    provider: offer.provider,
    offerId: offer.offerId,
    gpuType: offer.gpuType,
    gpuCount: offer.gpuCount,
    region: offer.regions[0] ?? '',
    operatingSystem: offer.osOptions[0] ?? '',
    instanceType: offer.instanceType,
    teamId,
    ...extra,
  };
}

/** A fresh ed25519 public key in OpenSSH format, so repeated tests never collide on a fingerprint. */
export function newPublicKey(comment = 'test@unit'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const field = (bytes: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}
