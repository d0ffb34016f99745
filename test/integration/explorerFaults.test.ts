// Error rows under faults the simulator injects (POST /__sim/faults): 401, 500, a truncated JSON
// body and an answer slower than the client's timeout. Without data, a view shows the typed error's
// message and fix-it rows; with data already shown, the data stays, marked stale.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerView } from '../../src/core/model/nodes';
import type { Services } from '../../src/vscode/services';
import type { ModelTreeProvider } from '../../src/vscode/tree/render';
import {
  clearFaults,
  describeRows,
  resetExplorer,
  rowLabels,
  shownRows,
  type ShownRow,
} from './explorerHelpers';
import { simulatorAdmin, spheronApi, waitFor } from './helpers';

/** Short enough that a timed-out refresh (3 attempts and two backoffs) fails within seconds. */
const TEST_TIMEOUT_SECONDS = 2;

interface FaultCase {
  readonly name: string;
  readonly fault: Record<string, unknown>;
  readonly message: RegExp;
  readonly fix: 'signIn' | 'retry';
  /** The few words the stale row's label gives as the reason, if any. */
  readonly brief?: string;
}

const FAULTS: readonly FaultCase[] = [
  {
    name: '401',
    fault: { status: 401 },
    message: /^Spheron rejected the API key\. Sign in again with a valid key\.$/,
    fix: 'signIn',
    brief: 'key rejected',
  },
  {
    name: '500',
    fault: { status: 500, body: { error: 'Internal Server Error', message: 'database unavailable' } },
    message: /^Spheron answered with an error \(HTTP 500\): database unavailable\.$/,
    fix: 'retry',
    brief: 'Spheron error',
  },
  {
    name: 'bad JSON',
    fault: { badJson: true },
    message: /^Spheron sent a response this extension does not understand \(GET \/api\/[a-z-]+: .+\)\.$/,
    fix: 'retry',
  },
  {
    name: 'timeout',
    fault: { latencyMs: 15_000 },
    message: new RegExp(`^Spheron did not answer within ${TEST_TIMEOUT_SECONDS} s\\.$`),
    fix: 'retry',
    brief: 'timed out',
  },
];

interface ViewCase {
  readonly view: ExplorerView;
  readonly route: string;
  /** A row the seed data shows in this view. */
  readonly dataRow: string;
  /** The view description with fresh data, before the stale suffix. */
  readonly freshDescription: string;
  tree(services: Services): ModelTreeProvider;
  treeView(services: Services): vscode.TreeView<unknown>;
  drop(services: Services): void;
}

const VIEWS: readonly ViewCase[] = [
  {
    view: 'instances',
    route: 'GET /api/deployments',
    dataRow: 'pro6000-dev',
    freshDescription: 'team research · 1 running',
    tree: (services) => services.explorer.instancesTree,
    treeView: (services) => services.explorer.instancesView,
    drop: (services) => services.data.deployments.reset(),
  },
  {
    view: 'volumes',
    route: 'GET /api/volumes',
    dataRow: 'checkpoints',
    freshDescription: 'team research',
    tree: (services) => services.explorer.volumesTree,
    treeView: (services) => services.explorer.volumesView,
    drop: (services) => services.data.volumes.reset(),
  },
  {
    view: 'offers',
    route: 'GET /api/gpu-offers',
    dataRow: 'H100 SXM5',
    freshDescription: '9 of 10 offers · 1 in maintenance hidden',
    tree: (services) => services.explorer.offersTree,
    treeView: (services) => services.explorer.offersView,
    drop: (services) => services.data.offers.reset(),
  },
];

async function injectFault(route: string, fault: Record<string, unknown>): Promise<void> {
  await simulatorAdmin('faults', { route, ...fault });
}

function assertErrorRows(rows: readonly ShownRow[], faultCase: FaultCase, viewCase: ViewCase): void {
  const summary = describeRows(rows);
  const [errorRow, ...fixIts] = rows;
  assert.ok(errorRow, `no rows in ${viewCase.view}`);
  assert.equal(errorRow.node.kind, 'error', summary);
  assert.match(errorRow.label, faultCase.message);
  assert.equal(errorRow.item.contextValue, `spheron.error+${faultCase.fix}`);
  assert.equal(errorRow.icon, faultCase.fix === 'signIn' ? 'key' : 'error');
  assert.match(errorRow.tooltip, new RegExp(`Request: ${viewCase.route.replace(/[/]/g, '\\/')}`));
  assert.ok(!rowLabels(rows).includes(viewCase.dataRow), `no data rows without data: ${summary}`);
  if (faultCase.fix === 'signIn') {
    assert.deepEqual(
      fixIts.map((row) => [row.label, row.item.command?.command]),
      [['Sign In', 'spheron.signIn']],
    );
  } else {
    assert.deepEqual(
      fixIts.map((row) => [row.label, row.item.command?.command, row.item.command?.arguments]),
      [
        ['Retry', 'spheron.refresh', [viewCase.view]],
        ['Show Logs', 'spheron.showLogs', [fixIts[1]?.node]],
      ],
    );
  }
}

function assertStaleRows(
  rows: readonly ShownRow[],
  description: string | undefined,
  faultCase: FaultCase,
  viewCase: ViewCase,
): void {
  const summary = describeRows(rows);
  const [staleRow] = rows;
  assert.ok(staleRow, `no rows in ${viewCase.view}`);
  assert.equal(staleRow.node.kind, 'error', summary);
  const reason = faultCase.brief ? ` \\(${faultCase.brief}\\)` : '';
  assert.match(staleRow.label, new RegExp(`^Not up to date${reason} — last updated (just now|\\d+ s ago)$`));
  assert.match(staleRow.description, faultCase.message);
  assert.equal(staleRow.item.contextValue, `spheron.error+${faultCase.fix}+stale`);
  assert.equal(staleRow.icon, 'warning');
  assert.equal(
    staleRow.item.command?.command,
    faultCase.fix === 'signIn' ? 'spheron.signIn' : 'spheron.refresh',
  );
  // The data stays under it.
  const data = viewCase.view === 'offers' ? rowLabels(rows) : rowLabels(rows.slice(1));
  assert.ok(data.includes(viewCase.dataRow), summary);
  const suffix = /\(stale — last updated (just now|\d+ s ago)\)$/;
  assert.match(description ?? '', suffix);
  assert.equal(
    (description ?? '').replace(suffix, '').trim(),
    viewCase.freshDescription,
    `the view description: ${description}`,
  );
}

describe('explorer error rows under injected faults', function () {
  // A timed-out refresh takes three attempts of TEST_TIMEOUT_SECONDS plus backoff.
  this.timeout(60_000);
  let services: Services;

  before(async () => {
    services = (await spheronApi()).services;
    await vscode.workspace
      .getConfiguration('spheron')
      .update('requestTimeoutSeconds', TEST_TIMEOUT_SECONDS, vscode.ConfigurationTarget.Global);
    await waitFor(() => services.settings().requestTimeoutSeconds === TEST_TIMEOUT_SECONDS, {
      message: 'the short request timeout in the settings',
    });
    await resetExplorer(services);
  });

  afterEach(async () => {
    await clearFaults();
  });

  after(async () => {
    await clearFaults();
    await vscode.workspace
      .getConfiguration('spheron')
      .update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await resetExplorer(services);
  });

  for (const viewCase of VIEWS) {
    for (const faultCase of FAULTS) {
      // The timeout costs seconds per refresh: once per view is enough (instances), twice overall.
      if (faultCase.name === 'timeout' && viewCase.view !== 'instances') {
        continue;
      }
      it(`${viewCase.view}: ${faultCase.name} without data shows the error and its fix-it rows`, async () => {
        viewCase.drop(services);
        await injectFault(viewCase.route, faultCase.fault);
        await services.explorer.refresh(viewCase.view);
        assertErrorRows(shownRows(viewCase.tree(services)), faultCase, viewCase);

        // The fix-it works once the fault is gone (Retry, or Sign In for a 401 with the same key).
        await clearFaults();
        if (faultCase.fix === 'retry') {
          const retry = shownRows(viewCase.tree(services)).find((row) => row.label === 'Retry');
          const args: unknown[] = retry?.item.command?.arguments ?? [];
          await vscode.commands.executeCommand(retry?.item.command?.command ?? '', ...args);
        } else {
          await services.explorer.refresh(viewCase.view);
        }
        await waitFor(() => rowLabels(shownRows(viewCase.tree(services))).includes(viewCase.dataRow), {
          timeoutMs: 20_000,
          message: `${viewCase.dataRow} back in ${viewCase.view}`,
        });
        assert.ok(shownRows(viewCase.tree(services)).every((row) => row.node.kind !== 'error'));
      });

      it(`${viewCase.view}: ${faultCase.name} with data keeps the data, marked stale`, async () => {
        await services.explorer.refresh(viewCase.view);
        assert.ok(rowLabels(shownRows(viewCase.tree(services))).includes(viewCase.dataRow));
        await injectFault(viewCase.route, faultCase.fault);
        await services.explorer.refresh(viewCase.view);
        assertStaleRows(
          shownRows(viewCase.tree(services)),
          viewCase.treeView(services).description,
          faultCase,
          viewCase,
        );

        await clearFaults();
        await services.explorer.refresh(viewCase.view);
        const rows = shownRows(viewCase.tree(services));
        assert.ok(
          rows.every((row) => row.node.kind !== 'error'),
          describeRows(rows),
        );
        assert.equal(viewCase.treeView(services).description ?? '', viewCase.freshDescription);
      });
    }
  }

  it('instances: a failed balance (the team is unknown) is an error, not a list of every team', async () => {
    services.data.resetAccountData();
    await injectFault('GET /api/balance', { status: 500 });
    await simulatorAdmin('requests', undefined, 'DELETE');
    await services.explorer.refresh('instances');
    const rows = shownRows(services.explorer.instancesTree);
    assert.match(rows[0]?.label ?? '', /^Spheron answered with an error \(HTTP 500\)/, describeRows(rows));
    const { entries } = await simulatorAdmin<{ entries: { route: string; path: string }[] }>('requests');
    const unscoped = entries.filter(
      (entry) => entry.route === 'GET /api/deployments' && !entry.path.includes('teamId='),
    );
    assert.deepEqual(unscoped, [], 'deployments listed without a team');
  });
});
