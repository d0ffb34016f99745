// SSH config, Connect and Check SSH Setup in the real extension host, against a real sshd that the
// simulator's "running" instance points at (see sshWorld.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SshSetupReport } from '../../src/core/ssh/check';
import type { HostAnswer } from '../../src/core/ssh/hostProbe';

/** What Check SSH Setup returns: the config report and whether the host answered. */
type CheckedReport = SshSetupReport & { readonly hostAnswer: HostAnswer };
import { includeBlockLines } from '../../src/core/ssh/userConfig';
import type { ConnectResult } from '../../src/vscode/commands/connect';
import { outputChannelText, simulatorAdmin, simulatorUrl, waitFor } from './helpers';
import {
  SEED_RUNNING_ID,
  runDismissingNotifications,
  sshG,
  sshThroughConfig,
  syncedHost,
  useSshWorld,
} from './sshWorld';

const SEED_TEAM_ID = '66f1c0ffee00000000000a01';
const SEED_SSH_KEY_ID = '66f1c0ffee00000000000b01';

/** Creates a deployment through the simulator's public API (as another client of the account would). */
async function createDeployment(name: string): Promise<string> {
  const response = await fetch(`${simulatorUrl()}/api/deployments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.SPHERON_API_KEY ?? ''}`,
      'content-type': 'application/json',
      'user-agent': 'spheron-ext-host-test',
    },
    body: JSON.stringify({
      teamId: SEED_TEAM_ID,
      provider: 'massed-compute',
      offerId: 'cpu_small_us-central-3',
      gpuType: 'CPU',
      gpuCount: 0,
      instanceType: 'DEDICATED',
      region: 'us-central-3',
      operatingSystem: 'Ubuntu Server 22.04',
      sshKeyId: SEED_SSH_KEY_ID,
      name,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  assert.equal(response.status, 201, text);
  return (JSON.parse(text) as { id: string }).id;
}

/** Lines of an ssh_config text that are directives (not blank, not comments), trimmed. */
function directiveLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The report Check SSH Setup wrote for `alias`: a read-only `spheron-report:` Markdown document. */
function reportDocument(alias: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find(
    (document) => document.uri.scheme === 'spheron-report' && document.uri.path === `/SSH Setup ${alias}.md`,
  );
}

/**
 * Closes the report Check SSH Setup opened: rendered in the Markdown preview (not its source), from a
 * read-only document that is never "dirty", so closing it asks nothing.
 */
async function closeReport(alias: string): Promise<void> {
  const tab = await waitFor(
    () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputWebview &&
        /markdown\.preview/.test(active.input.viewType)
        ? active
        : undefined;
    },
    { message: 'the rendered report (Markdown preview) as the active tab' },
  );
  const document = reportDocument(alias);
  assert.ok(document, 'the report document');
  assert.equal(document.languageId, 'markdown');
  assert.equal(document.isDirty, false);
  assert.equal(
    vscode.window.activeTextEditor?.document.uri.scheme === 'spheron-report',
    false,
    'no raw source',
  );
  await vscode.window.tabGroups.close(tab);
}

const normaliseForward = (value: string) => value.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim();

describe('SSH config, Connect and Check SSH Setup against a real sshd', function () {
  this.timeout(90_000);
  const world = useSshWorld();

  it('writes our hosts file and one marked Include at the top of ~/.ssh/config; ssh <alias> gets in through it', async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    // The seeded instance is called "pro6000-dev".
    assert.equal(host.alias, 'spheron-pro6000-dev');

    const userConfig = await readFile(w.userConfig, 'utf8');
    assert.deepEqual(userConfig.split('\n').slice(0, 3), includeBlockLines(w.ourConfig));
    assert.equal(userConfig.split('spheron-vscode (managed').length - 1, 1, 'exactly one marked block');
    assert.equal((await stat(join(w.home, '.ssh'))).mode & 0o777, 0o700);
    assert.equal((await stat(w.ourConfig)).mode & 0o777, 0o600);
    const ours = await readFile(w.ourConfig, 'utf8');
    assert.match(ours, new RegExp(`^Host ${host.alias} ${host.alias}\\.tunnel\\*$`, 'm'));

    const ssh = await sshThroughConfig(w, [host.alias, 'echo', 'hello-from-$(whoami)']);
    assert.equal(ssh.status, 0, `ssh ${host.alias} failed: ${ssh.stderr}\n${await w.sshd.log()}`);
    assert.equal(ssh.stdout.trim(), `hello-from-${w.sshd.user}`);
    assert.equal((await sshThroughConfig(w, [host.alias, 'true'])).status, 0);
    // accept-new stored the host key under the instance's HostKeyAlias, in our own known_hosts.
    const knownHosts = await readFile(join(w.home, '.ssh', 'spheron', 'known_hosts'), 'utf8');
    assert.ok(
      knownHosts.split('\n').includes(`spheron-${SEED_RUNNING_ID} ${w.sshd.hostPublicKey}`),
      knownHosts,
    );
  });

  it('ssh -G shows our options in effect for the alias', async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    const options = await sshG(w, host.alias);
    const first = (keyword: string) => options.get(keyword)?.[0];
    assert.equal(first('hostname'), '127.0.0.1');
    assert.equal(first('port'), String(w.sshd.port));
    assert.equal(first('user'), w.sshd.user);
    assert.ok(options.get('identityfile')?.includes(w.identityFile), String(options.get('identityfile')));
    assert.equal(first('identitiesonly'), 'yes');
    assert.equal(first('hostkeyalias'), `spheron-${SEED_RUNNING_ID}`);
    assert.equal(first('userknownhostsfile'), join(w.home, '.ssh', 'spheron', 'known_hosts'));
    assert.equal(first('stricthostkeychecking'), 'accept-new');
    assert.equal(first('checkhostip'), 'no');
    assert.equal(first('serveraliveinterval'), '30');
    const jupyter = host.forwards.find((forward) => forward.label === 'Jupyter');
    assert.ok(jupyter);
    assert.equal(jupyter.remotePort, w.jupyter.port);
    assert.ok(
      (options.get('localforward') ?? [])
        .map(normaliseForward)
        .includes(`127.0.0.1:${jupyter.localPort} localhost:${w.jupyter.port}`),
      String(options.get('localforward')),
    );
    // The tunnel alias shares the settings but binds no ports.
    assert.equal((await sshG(w, host.tunnelAlias)).get('hostkeyalias')?.[0], `spheron-${SEED_RUNNING_ID}`);
    assert.equal((await sshG(w, host.tunnelAlias)).get('localforward'), undefined);
  });

  it('Connect opens a window on the alias through the Remote-SSH entry point', async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    // Remote-SSH cannot be installed in code-server here (it is Microsoft's, licensed for VS Code
    // only, and the marketplace is unreachable), so this replaces only its entry point, the one
    // vscode.openFolder call, and the "is it installed" lookup in front of it. Everything else is real.
    const bridge = w.services.remoteSsh;
    const original = { ...bridge };
    const opened: vscode.Uri[] = [];
    bridge.installedExtensionId = () => 'ms-vscode-remote.remote-ssh';
    bridge.openFolder = (uri) => {
      opened.push(uri);
      return Promise.resolve();
    };
    try {
      const result = await vscode.commands.executeCommand<ConnectResult>(
        'spheron.instance.connect',
        SEED_RUNNING_ID,
      );
      assert.equal(result, 'opened');
    } finally {
      Object.assign(bridge, original);
    }
    assert.equal(opened.length, 1);
    // The forwarded ports are labelled for Remote-SSH's Ports view, even though the Remote-SSH
    // platform setting cannot be written here (Remote-SSH is not installed to register it).
    const labels = vscode.workspace
      .getConfiguration('remote')
      .get<Record<string, { label?: string }>>('portsAttributes');
    for (const port of w.services.settings().forwardPorts) {
      assert.equal(labels?.[String(port.remotePort)]?.label, port.label, `label for port ${port.remotePort}`);
    }
    const home = w.sshd.user === 'root' ? '/root' : `/home/${w.sshd.user}`;
    assert.equal(opened[0]?.toString(true), `vscode-remote://ssh-remote+${host.alias}${home}`);
    assert.equal(opened[0]?.authority, `ssh-remote+${host.alias}`);
    // The authority names a host of our config, and that host is the instance.
    assert.match(await readFile(w.ourConfig, 'utf8'), new RegExp(`^Host ${host.alias} `, 'm'));
    assert.equal((await sshThroughConfig(w, [host.alias, 'true'])).status, 0);
    // Restored: the real lookup finds no Remote-SSH in this code-server.
    assert.equal(w.services.remoteSsh.installedExtensionId(), undefined);
  });

  it('Connect without Remote-SSH returns remote-ssh-missing and opens nothing', async () => {
    const w = world();
    await syncedHost(w, SEED_RUNNING_ID);
    const bridge = w.services.remoteSsh;
    const original = { ...bridge };
    const opened: vscode.Uri[] = [];
    // As above: Remote-SSH cannot be installed here; the lookup answers "none installed".
    bridge.installedExtensionId = () => undefined;
    bridge.openFolder = (uri) => {
      opened.push(uri);
      return Promise.resolve();
    };
    try {
      // The offer to install it is a notification with buttons: dismissed, as a user closing it.
      const result = await runDismissingNotifications<ConnectResult>(
        'spheron.instance.connect',
        SEED_RUNNING_ID,
      );
      assert.equal(result, 'remote-ssh-missing');
    } finally {
      Object.assign(bridge, original);
    }
    assert.deepEqual(opened, []);
  });

  it('Install Remote - SSH without a reachable marketplace ends in an offer of the SSH terminal, not a Connect failure', async () => {
    const w = world();
    await syncedHost(w, SEED_RUNNING_ID);
    const bridge = w.services.remoteSsh;
    const original = { ...bridge };
    bridge.installedExtensionId = () => undefined;
    try {
      // This machine has no marketplace: the real install command fails. The user asks to install,
      // then dismisses the offer of the SSH terminal.
      const result = await vscode.commands.executeCommand<ConnectResult>(
        'spheron.instance.connect',
        SEED_RUNNING_ID,
        {
          answers: ['Install Remote - SSH'],
        },
      );
      assert.equal(result, 'remote-ssh-install-failed');
    } finally {
      Object.assign(bridge, original);
    }
  });

  it('Rename moves the SSH host to the new name: the old alias goes, Copy SSH Command and Check SSH Setup agree', async () => {
    const w = world();
    const before = await syncedHost(w, SEED_RUNNING_ID);
    assert.equal(before.alias, 'spheron-pro6000-dev');
    const renamed = 'pro6000-renamed';
    try {
      await vscode.commands.executeCommand('spheron.instance.rename', SEED_RUNNING_ID, renamed);
      assert.equal(w.services.ssh.hostFor(SEED_RUNNING_ID)?.alias, `spheron-${renamed}`);
      const ours = await readFile(w.ourConfig, 'utf8');
      assert.match(ours, new RegExp(`^Host spheron-${renamed} spheron-${renamed}\\.tunnel\\*$`, 'm'));
      assert.doesNotMatch(ours, /spheron-pro6000-dev\b/);
      const copied = await runDismissingNotifications<string>(
        'spheron.instance.copySshCommand',
        SEED_RUNNING_ID,
      );
      assert.match(copied, new RegExp(` spheron-${renamed}$`));
      // The new alias gets in; the old one is no host of ours any more.
      assert.equal((await sshThroughConfig(w, [`spheron-${renamed}`, 'true'])).status, 0);
      const report = await runDismissingNotifications<CheckedReport>('spheron.ssh.check', SEED_RUNNING_ID);
      assert.equal(report.alias, `spheron-${renamed}`);
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      await closeReport(`spheron-${renamed}`);
    } finally {
      await vscode.commands.executeCommand('spheron.instance.rename', SEED_RUNNING_ID, 'pro6000-dev');
    }
    assert.equal(w.services.ssh.hostFor(SEED_RUNNING_ID)?.alias, 'spheron-pro6000-dev');
  });

  it('Check SSH Setup reports ok on the config the extension wrote', async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    const report = await vscode.commands.executeCommand<CheckedReport>('spheron.ssh.check', SEED_RUNNING_ID);
    assert.equal(report.alias, host.alias);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.ok(report.options.length >= 10, 'every option was checked');
    assert.ok(report.options.every((option) => option.ok));
    // The host was asked too: a real ssh login to the sshd.
    assert.equal(report.hostAnswer.ok, true, JSON.stringify(report.hostAnswer));
    const shown = await waitFor(() => reportDocument(host.alias), { message: 'the report document' });
    assert.match(shown.getText(), new RegExp(host.alias));
    assert.match(shown.getText(), /## Does the host answer\?\n\n\*\*Yes\.\*\*/);
    await closeReport(host.alias);
  });

  it("Check SSH Setup names the user's earlier Host * line that overrides StrictHostKeyChecking", async () => {
    const w = world();
    const host = await syncedHost(w, SEED_RUNNING_ID);
    const original = await readFile(w.userConfig, 'utf8');
    // The user (or a dotfile manager) moved our Include below a Host * block of their own. Ours is
    // written at the top, so this is the only way an earlier Host * can be read before it.
    await writeFile(
      w.userConfig,
      `Host *\n  StrictHostKeyChecking no\n  ServerAliveInterval 5\n\n${original}`,
    );
    try {
      // ssh itself agrees that the user's line wins.
      assert.equal((await sshG(w, host.alias)).get('stricthostkeychecking')?.[0], 'false');
      const report = await runDismissingNotifications<SshSetupReport>('spheron.ssh.check', SEED_RUNNING_ID);
      assert.equal(report.ok, false);
      const strict = report.problems.find((problem) => problem.option === 'stricthostkeychecking');
      assert.ok(strict, JSON.stringify(report.problems, null, 2));
      assert.equal(strict.kind, 'option-overridden');
      assert.equal(strict.line, 2);
      assert.match(strict.message, /line 2 \("StrictHostKeyChecking no"\)/);
      assert.match(strict.message, /"Host \*" block at line 1/);
      assert.match(strict.advice, /Move the Spheron block/);
      const alive = report.problems.find((problem) => problem.option === 'serveraliveinterval');
      assert.equal(alive?.line, 3);
      assert.ok(report.problems.some((problem) => problem.kind === 'include-not-at-top'));
      // The report the user reads names the line too.
      const shown = await waitFor(
        () => {
          const text = reportDocument(host.alias)?.getText() ?? '';
          return text.includes('StrictHostKeyChecking no') ? text : undefined;
        },
        { message: 'the report naming the overriding line' },
      );
      assert.match(shown, /line 2/);
      await closeReport(host.alias);
      // The sync left the user's arrangement alone (it never moves their lines without being asked).
      assert.ok((await readFile(w.userConfig, 'utf8')).startsWith('Host *\n  StrictHostKeyChecking no\n'));
    } finally {
      await writeFile(w.userConfig, original);
    }
    assert.equal((await sshG(w, host.alias)).get('stricthostkeychecking')?.[0], 'accept-new');
  });

  it('a hostile instance name from the API becomes a sanitised alias, never a directive', async () => {
    const w = world();
    const marker = join(w.home, 'pwned-by-name');
    const hostileName = `x\n  ProxyCommand touch ${marker}`;
    const id = await createDeployment(hostileName);
    await simulatorAdmin('clock/advance', { seconds: 120 }); // deploying → running
    const host = await syncedHost(w, id);
    assert.match(host.alias, /^spheron-[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.equal(host.name, hostileName, 'the name is kept as data');
    for (const file of [w.ourConfig, w.userConfig]) {
      const text = await readFile(file, 'utf8');
      // The words survive only inside the alias; no line starts with them.
      assert.doesNotMatch(text, /^\s*ProxyCommand\b/im, `${file}:\n${text}`);
      for (const line of directiveLines(text)) {
        assert.match(
          line,
          /^(Host|HostName|User|Port|IdentityFile|IdentitiesOnly|HostKeyAlias|UserKnownHostsFile|StrictHostKeyChecking|CheckHostIP|HashKnownHosts|ServerAliveInterval|ServerAliveCountMax|LocalForward|Include) /,
        );
      }
    }
    assert.equal((await sshG(w, host.alias)).get('proxycommand'), undefined);
    const ssh = await sshThroughConfig(w, [host.alias, 'true']);
    assert.equal(ssh.status, 0, ssh.stderr);
    assert.equal(existsSync(marker), false, 'no command from the name ran');
  });

  it('a hostile address or user from the API gets no SSH entry, and the log says why', async () => {
    const w = world();
    const marker = join(w.home, 'pwned-by-address');
    try {
      await simulatorAdmin('config', { sshHost: `127.0.0.1\n  ProxyCommand touch ${marker}` });
      await w.services.explorer.refresh('instances');
      await waitFor(
        async () =>
          w.services.ssh.hostFor(SEED_RUNNING_ID) === undefined &&
          !(await readFile(w.ourConfig, 'utf8')).includes(`# spheron-id: ${SEED_RUNNING_ID}`),
        { timeoutMs: 20_000, message: 'the entry of the instance with a hostile address to go' },
      );
      assert.doesNotMatch(await readFile(w.ourConfig, 'utf8'), /ProxyCommand/i);
      await vscode.commands.executeCommand('spheron.showLogs');
      const log = await waitFor(
        () => {
          const text = outputChannelText('Spheron') ?? '';
          return /No SSH entry for pro6000-dev \(66f1c0ffee00000000000d01\): .* is not an IPv4 or IPv6 address/.test(
            text,
          )
            ? text
            : undefined;
        },
        { timeoutMs: 15_000, message: 'the log line about the skipped instance' },
      );
      // The hostile name of the instance created above is logged on one line: it forges no line.
      assert.match(log, /No SSH entry for x ProxyCommand touch /);
      assert.doesNotMatch(log, /^\s*ProxyCommand/m);

      await simulatorAdmin('config', {
        sshHost: '127.0.0.1',
        sshUser: `root\n  ProxyCommand touch ${marker}`,
      });
      await w.services.explorer.refresh('instances');
      const listed = await waitFor(
        () => {
          const list = w.services.data.deployments.state.value;
          return list?.some((d) => d.id === SEED_RUNNING_ID && /ProxyCommand/.test(d.sshUser ?? ''))
            ? list
            : undefined;
        },
        { message: 'the list with the hostile user' },
      );
      // Syncs are queued: this one runs after the one the refresh started, on the same list.
      const result = await w.services.ssh.sync(listed);
      assert.ok(result);
      const skipped = result.skipped.find((entry) => entry.deploymentId === SEED_RUNNING_ID);
      assert.ok(skipped, JSON.stringify(result.skipped));
      assert.match(skipped.reason, /not a valid login name/);
      assert.equal(w.services.ssh.hostFor(SEED_RUNNING_ID), undefined);
      assert.doesNotMatch(await readFile(w.ourConfig, 'utf8'), /ProxyCommand/i);
    } finally {
      await simulatorAdmin('config', { sshHost: '127.0.0.1', sshPort: w.sshd.port, sshUser: w.sshd.user });
    }
    // Valid values again: the entry comes back and works.
    const host = await syncedHost(w, SEED_RUNNING_ID);
    assert.equal((await sshThroughConfig(w, [host.alias, 'true'])).status, 0);
    assert.equal(existsSync(marker), false, 'no command from the address or user ran');
  });

  it('Remove SSH Entries restores ~/.ssh/config byte for byte, deletes our files and stops managing', async () => {
    const w = world();
    await syncedHost(w, SEED_RUNNING_ID);
    const knownHosts = join(w.home, '.ssh', 'spheron', 'known_hosts');
    const withBlock = await readFile(w.userConfig, 'utf8');
    const block = includeBlockLines(w.ourConfig).join('\n') + '\n';
    assert.ok(withBlock.startsWith(block), withBlock);
    const settings = vscode.workspace.getConfiguration('spheron.ssh');
    try {
      await vscode.commands.executeCommand('spheron.ssh.removeEntries', { answers: ['Remove'] });
      assert.equal(await readFile(w.userConfig, 'utf8'), withBlock.slice(block.length));
      assert.equal(existsSync(w.ourConfig), false);
      assert.equal(existsSync(knownHosts), false);
      assert.equal(settings.inspect('manageConfig')?.globalValue, false);
      // Not managed any more: a sync (queued after the one a refresh starts) writes nothing back.
      await w.services.explorer.refresh('instances');
      assert.equal(await w.services.ssh.sync(w.services.data.deployments.state.value ?? []), undefined);
      assert.equal(existsSync(w.ourConfig), false);
      assert.equal(await readFile(w.userConfig, 'utf8'), withBlock.slice(block.length));
    } finally {
      await settings.update('manageConfig', undefined, vscode.ConfigurationTarget.Global);
    }
    // Managed again: the next refresh brings the entry (and the Include) back.
    const host = await syncedHost(w, SEED_RUNNING_ID);
    assert.ok((await readFile(w.userConfig, 'utf8')).startsWith(block));
    assert.equal((await sshThroughConfig(w, [host.alias, 'true'])).status, 0);
  });
});
