// The built-in Spheron notebook kernel (no Jupyter extension here, as for a user without it): a
// VS Code .ipynb notebook picks the controller of the seeded instance, whose SSH is a real sshd with
// Debian's real Jupyter Notebook behind it, and its cells run there: they read a file that exists
// only in the instance's home, keep their state, and fail with a clear message once it ended.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { simulatorAdmin, waitFor } from './helpers';
import { SEED_RUNNING_ID, syncedHost, useSshWorld } from './sshWorld';
import { freePort } from '../unit/ssh/sshdFixture';

const decoder = new TextDecoder();

/** The cell's outputs as `mime: text` lines, for asserts and failure messages. */
function outputText(cell: vscode.NotebookCell): string {
  return cell.outputs
    .flatMap((output) => output.items.map((item) => `${item.mime}: ${decoder.decode(item.data)}`))
    .join('\n');
}

async function runCell(notebook: vscode.NotebookDocument, index: number): Promise<vscode.NotebookCell> {
  const before = notebook.cellAt(index).executionSummary?.timing?.endTime;
  await vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: [{ start: index, end: index + 1 }],
    document: notebook.uri,
  });
  return waitFor(
    () => {
      const cell = notebook.cellAt(index);
      const end = cell.executionSummary?.timing?.endTime;
      return end !== undefined && end !== before ? cell : undefined;
    },
    { timeoutMs: 90_000, message: `cell ${index} to finish` },
  );
}

describe('built-in Spheron notebook kernel with real Jupyter behind a real sshd', function () {
  this.timeout(240_000);
  let instanceHome = '';
  let notebook: vscode.NotebookDocument | undefined;
  before(() => {
    instanceHome = mkdtempSync(join(tmpdir(), 'spheron-notebook-instance-'));
  });
  // Before the world's own after hook closes every editor: the untitled notebook would ask to save.
  after(async () => {
    if (notebook) {
      await vscode.window.showNotebookDocument(notebook);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
  const getWorld = useSshWorld({ instanceHome: () => instanceHome, fakeJupyterOnPath: false });
  let jupyterPort: number;
  let previousForwardPorts: unknown;
  const openNotebook = (): vscode.NotebookDocument => {
    assert.ok(notebook, 'the notebook of the first test');
    return notebook;
  };
  const marker = `only on the instance ${Date.now()}`;

  before(async function () {
    if (!existsSync('/usr/bin/jupyter-notebook')) {
      throw new Error('Jupyter is not installed: run bash test/e2e/setup (apt-get install jupyter-notebook)');
    }
    assert.equal(
      vscode.extensions.getExtension('ms-toolsai.jupyter'),
      undefined,
      'no Jupyter extension here',
    );
    jupyterPort = await freePort();
    const spheron = vscode.workspace.getConfiguration('spheron');
    previousForwardPorts = spheron.inspect('forwardPorts')?.globalValue;
    await spheron.update(
      'forwardPorts',
      [
        { label: 'Jupyter', remotePort: jupyterPort },
        { label: 'TensorBoard', remotePort: 6006 },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await writeFile(join(instanceHome, 'spheron-marker.txt'), marker);
    // Jupyter is started on the "instance" the way a user starts it: Open Jupyter, Start Jupyter.
    await syncedHost(getWorld(), SEED_RUNNING_ID);
    const url = await vscode.commands.executeCommand<string | undefined>(
      'spheron.instance.openJupyter',
      SEED_RUNNING_ID,
      { answers: ['Start Jupyter'] },
    );
    assert.ok(url, 'Open Jupyter started the server');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    spawnSync('pkill', ['-f', '--', `--port ${jupyterPort} `]);
    await vscode.workspace
      .getConfiguration('spheron')
      .update('forwardPorts', previousForwardPorts, vscode.ConfigurationTarget.Global);
    await rm(instanceHome, { recursive: true, force: true });
  });

  it('selects the instance kernel for an .ipynb and runs cells on the instance, keeping state', async () => {
    notebook = await vscode.workspace.openNotebookDocument(
      'jupyter-notebook',
      new vscode.NotebookData([
        new vscode.NotebookCellData(
          vscode.NotebookCellKind.Code,
          "import os\nprint(open('spheron-marker.txt').read())\nprint(os.getcwd())\nanswer = 41",
          'python',
        ),
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'answer + 1', 'python'),
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '1/0', 'python'),
      ]),
    );
    await vscode.window.showNotebookDocument(notebook);
    const outcome = await vscode.commands.executeCommand<string>(
      'spheron.notebook.selectKernel',
      SEED_RUNNING_ID,
    );
    assert.equal(outcome, 'kernel-selected');

    const first = await runCell(notebook, 0);
    assert.equal(first.executionSummary?.success, true, outputText(first));
    assert.equal(
      outputText(first),
      `application/vnd.code.notebook.stdout: ${marker}\n${instanceHome}\n`,
      'the cell read the file in the instance home and ran there',
    );
    assert.ok((first.executionSummary?.executionOrder ?? 0) >= 1, 'an execution count from the kernel');

    const second = await runCell(notebook, 1);
    assert.equal(second.executionSummary?.success, true, outputText(second));
    assert.equal(outputText(second), 'text/plain: 42', 'the same kernel, with its state');
    assert.equal(second.executionSummary?.executionOrder, (first.executionSummary?.executionOrder ?? 0) + 1);

    const third = await runCell(notebook, 2);
    assert.equal(third.executionSummary?.success, false);
    const error = third.outputs[0]?.items.find((item) => item.mime === 'application/vnd.code.notebook.error');
    assert.ok(error, outputText(third));
    assert.equal((JSON.parse(decoder.decode(error.data)) as { name: string }).name, 'ZeroDivisionError');
  });

  it('keeps the same kernel, with its state, after the tunnel is killed and comes back', async () => {
    const tunnels = getWorld().services.ssh.tunnels();
    const tunnel = tunnels
      .list()
      .find((entry) => entry.remotePort === jupyterPort && entry.state === 'ready');
    assert.ok(tunnel?.pid, 'a ready Jupyter tunnel with an ssh process');
    process.kill(tunnel.pid, 'SIGKILL');
    await waitFor(
      () => {
        const now = tunnels.get(tunnel.id);
        return now?.state === 'ready' && now.pid !== tunnel.pid ? now : undefined;
      },
      { timeoutMs: 10_000, message: 'the Jupyter tunnel back within 10 s' },
    );
    const again = await runCell(openNotebook(), 1);
    assert.equal(again.executionSummary?.success, true, outputText(again));
    assert.equal(outputText(again), 'text/plain: 42', 'the variable of the first cell is still there');
  });

  it('lists the controller under the instance name and price', () => {
    // The label is what the notebook toolbar shows once the kernel is selected.
    const controller = getWorld().services.notebookKernels.controllerFor(SEED_RUNNING_ID);
    assert.ok(controller);
    assert.match(controller.label, /^Spheron: pro6000-dev · \$[\d.]+\/h$/);
    assert.equal(controller.notebookType, 'jupyter-notebook');
  });

  it('Interrupt stops a running cell on the instance with a KeyboardInterrupt', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.set(openNotebook().uri, [
      vscode.NotebookEdit.insertCells(3, [
        new vscode.NotebookCellData(
          vscode.NotebookCellKind.Code,
          "import time\nprint('sleeping', flush=True)\ntime.sleep(120)",
          'python',
        ),
      ]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const running = runCell(openNotebook(), 3);
    await waitFor(() => /sleeping/.test(outputText(openNotebook().cellAt(3))) || undefined, {
      timeoutMs: 60_000,
      message: 'the cell running on the instance',
    });
    const interruptedAt = Date.now();
    // What the cell's stop button does; with an interruptHandler VS Code calls it.
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', {
      ranges: [{ start: 3, end: 4 }],
      document: openNotebook().uri,
    });
    const cell = await running;
    assert.ok(Date.now() - interruptedAt < 30_000, 'the cell stopped long before its sleep would have');
    assert.equal(cell.executionSummary?.success, false);
    assert.match(outputText(cell), /"name":"KeyboardInterrupt"/);
  });

  it('Restart Spheron Kernel asks, then gives the notebook a fresh interpreter on the same kernel', async () => {
    const notebook = openNotebook();
    await vscode.window.showNotebookDocument(notebook);
    const kernelIds = () =>
      JSON.stringify(getWorld().services.context.workspaceState.get('spheron.notebookKernelIds'));
    const before = await runCell(notebook, 1);
    assert.equal(outputText(before), 'text/plain: 42', 'the state of the first cell, before the restart');
    const idsBefore = kernelIds();
    assert.equal(
      await vscode.commands.executeCommand('spheron.notebook.restartKernel', { answers: [] }),
      'cancelled',
      'no answer, no restart',
    );
    assert.equal(outputText(await runCell(notebook, 1)), 'text/plain: 42', 'still the same state');

    assert.equal(
      await vscode.commands.executeCommand('spheron.notebook.restartKernel', { answers: ['Restart'] }),
      'restarted',
    );
    const after = await runCell(notebook, 1);
    assert.equal(after.executionSummary?.success, false, 'the variable is gone');
    assert.match(outputText(after), /"name":"NameError"/);
    assert.equal(after.executionSummary?.executionOrder, 1, 'a fresh interpreter counts from 1');
    const first = await runCell(notebook, 0);
    assert.equal(first.executionSummary?.success, true, outputText(first));
    assert.equal(outputText(await runCell(notebook, 1)), 'text/plain: 42');
    assert.equal(kernelIds(), idsBefore, 'the same kernel id on the instance');
  });

  it('fails a running cell with a clear message when the instance ends, instead of hanging', async () => {
    const world = getWorld();
    const running = runCell(openNotebook(), 3);
    // Running again: its output from the interrupt test is gone.
    await waitFor(
      () => {
        const text = outputText(openNotebook().cellAt(3));
        return (/sleeping/.test(text) && !/KeyboardInterrupt/.test(text)) || undefined;
      },
      { timeoutMs: 60_000, message: 'the cell running on the instance' },
    );
    const endedAt = Date.now();
    await simulatorAdmin(`deployments/${SEED_RUNNING_ID}/status`, { status: 'terminated' });
    await world.services.explorer.refresh('instances');
    const cell = await running;
    assert.ok(Date.now() - endedAt < 30_000, 'the cell ended long before its sleep would have');
    assert.equal(cell.executionSummary?.success, false);
    assert.match(outputText(cell), /“pro6000-dev” has ended \(terminated\); its kernels are gone/);
    assert.equal(
      world.services.notebookKernels.controllerFor(SEED_RUNNING_ID),
      undefined,
      'its kernel is gone',
    );
  });
});
