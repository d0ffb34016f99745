// A real simulator on 127.0.0.1 and the real SpheronClient, for the submit and terminate tests.
import { SpheronClient } from '../../../src/core/api/client';
import type { SpheronClientOptions } from '../../../src/core/api/client';
import type { CreateDeploymentRequest, Offer, OfferGroup } from '../../../src/core/domain/types';
import { buildCreateDeploymentRequest } from '../../../src/core/deploy/createRequest';
import { validateDeployForm } from '../../../src/core/deploy/deployForm';
import type { DeployFormValues } from '../../../src/core/deploy/deployForm';
import type { Clock } from '../../../src/core/forms/exactlyOnce';
import { SEED_IDS, startSimulator } from '../../simulator';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export function makeClient(sim: Sim, overrides: Partial<SpheronClientOptions> = {}): SpheronClient {
  return new SpheronClient({
    baseUrl: sim.url,
    getApiKey: () => Promise.resolve(sim.apiKey),
    userAgent: 'spheron-vscode/test',
    timeoutMs: 5_000,
    // Retries of GETs wait no time in tests.
    sleep: (_ms, signal) => (signal?.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve()),
    random: () => 0.5,
    ...overrides,
  });
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

/** A clock that follows real time plus an offset the test moves. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export async function findOffer(
  client: SpheronClient,
  offerId: string,
): Promise<{ offer: Offer; group: OfferGroup }> {
  const catalogue = await client.listAllGpuOffers({});
  for (const group of catalogue.groups) {
    const offer = group.offers.find((o) => o.offerId === offerId);
    if (offer) {
      return { offer, group };
    }
  }
  throw new Error(`offer ${offerId} not in the simulator catalogue`);
}

/** Builds the create body the way the deploy form does: validate, then build from the one offer. */
export function createRequestFor(
  offer: Offer,
  group: OfferGroup,
  overrides: Partial<DeployFormValues> = {},
): CreateDeploymentRequest {
  const result = validateDeployForm(
    {
      name: 'exactly-once-1',
      region: offer.regions[0] ?? '',
      operatingSystem: offer.osOptions[0] ?? '',
      sshKey: { kind: 'registered', keyId: SEED_IDS.sshKey },
      volumeIds: [],
      packages: '',
      commands: '',
      ...overrides,
    },
    { offer, registeredKeyIds: [SEED_IDS.sshKey], volumes: [] },
  );
  if (!result.ok) {
    throw new Error(`form invalid: ${JSON.stringify(result.fieldErrors)}`);
  }
  return buildCreateDeploymentRequest(offer, group.gpuType, result.value, SEED_IDS.team);
}

export function postCount(sim: Sim, route = 'POST /api/deployments'): number {
  return sim.requestLog().byRoute[route] ?? 0;
}

export function deploymentsNamed(sim: Sim, name: string): string[] {
  return sim.state.deployments.filter((d) => d.name === name).map((d) => d.id ?? d._id ?? '');
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
