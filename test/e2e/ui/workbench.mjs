// What a user does in the VS Code (code-server) workbench, as Playwright steps. Every wait is on a
// condition with a timeout; nothing sleeps a fixed time. Selectors are those of VS Code 1.139 web.

// Generous: a loaded 2-core CI machine is slow, and a wait ends as soon as its condition holds.
const DEFAULT_TIMEOUT = 60_000;
/** How long one opening of the command palette waits for an entry before it is opened again. */
const PALETTE_ATTEMPT_MS = 10_000;
/** How long one click of a row's button gets to take the row away before it is clicked again. */
const ROW_CLICK_ATTEMPT_MS = 10_000;

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    this.start = Date.now();
  }

  /** Step timings, printed with SPHERON_E2E_DEBUG=1. */
  debug(step) {
    if (process.env.SPHERON_E2E_DEBUG) {
      console.log(`    [${((Date.now() - this.start) / 1000).toFixed(1)}s] ${step}`);
    }
  }

  /**
   * Loads the workbench URL and waits until VS Code has finished restoring it (its lifecycle reaches
   * "Eventually", which it records as a performance mark) and the Spheron icon shows. A command run
   * before that can lose its effect: the layout restore hides a panel that a command just opened.
   */
  async open(url) {
    // Playwright's default 30 s for the page load is too short on a loaded 2-core machine.
    await this.page.goto(url, { timeout: 120_000 });
    this.debug('page loaded');
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    this.debug('workbench shown');
    await this.page.waitForFunction(
      () => performance.getEntriesByName('code/LifecyclePhase/Eventually').length > 0,
      undefined,
      { timeout: 90_000, polling: 100 },
    );
    this.debug('workbench restored');
    await this.activityBarItem('Spheron').waitFor({ timeout: 60_000 });
    this.debug('Spheron in the activity bar');
  }

  /** The activity bar icon of a view container, by its title (e.g. "Spheron"). */
  activityBarItem(title) {
    return this.page.locator(`.activitybar .action-item [aria-label^="${title}"]`).first();
  }

  /** Shows a view container in the side bar; a click on the icon of the open one would close it. */
  async openViewContainer(title) {
    const item = this.activityBarItem(title);
    await item.waitFor({ timeout: DEFAULT_TIMEOUT });
    const open = this.page.locator(`.activitybar .action-item.checked [aria-label^="${title}"]`);
    if ((await open.count()) === 0) {
      await item.click();
    }
    await this.page
      .locator('.part.sidebar .composite.title h2', { hasText: new RegExp(`^${title}$`, 'i') })
      .waitFor({ timeout: DEFAULT_TIMEOUT });
  }

  /** Opens the Spheron side bar and waits for its three views. */
  async openSpheron() {
    await this.openViewContainer('Spheron');
    for (const view of ['Offers', 'Instances', 'Volumes']) {
      await this.viewHeader(view).waitFor({ timeout: DEFAULT_TIMEOUT });
    }
  }

  /** The collapsible header of a view in the side bar, by its name. */
  viewHeader(name) {
    return this.page.locator('.part.sidebar .pane-header').filter({ has: this.viewTitle(name) });
  }

  /** The text of a view's description in its header (team, filters, counts, stale marks); '' if none. */
  async viewDescription(name) {
    const description = this.viewHeader(name).locator('.description');
    return (await description.count()) > 0 ? (await description.innerText()).trim() : '';
  }

  /** Clicks an action of a view's title bar by its title (they show while the pointer is on the header). */
  async clickViewAction(name, title) {
    const header = this.viewHeader(name);
    await header.hover();
    const action = header.locator(`.actions .action-item a[aria-label="${title}"]`);
    await action.waitFor({ timeout: DEFAULT_TIMEOUT });
    await action.click();
  }

  /** The whole pane of a view in the side bar (header and body), by its name. */
  view(name) {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header').filter({ has: this.viewTitle(name) }) });
  }

  /** Matches a view's title element (relative: usable inside `has`). */
  viewTitle(name) {
    return this.page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(name)}$`, 'i') });
  }

  /** Names of the side-bar view headers, in order. */
  async viewNames() {
    return this.page.locator('.part.sidebar .pane-header h3.title').allInnerTexts();
  }

  /**
   * The accessible names of the rows a tree view shows (VS Code builds them from label and
   * description). Waits until at least `atLeast` rows are there.
   */
  async treeItemLabels(viewName, { atLeast = 0, timeout = DEFAULT_TIMEOUT } = {}) {
    const rows = this.view(viewName).locator('[role=treeitem]');
    if (atLeast > 0) {
      await rows.nth(atLeast - 1).waitFor({ timeout });
    }
    return rows.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('aria-label') ?? ''),
    );
  }

  /** Waits until a tree view shows a row whose accessible name matches `name` (string: contains). */
  async waitForTreeItem(viewName, name, { timeout = DEFAULT_TIMEOUT } = {}) {
    const row = this.view(viewName)
      .locator('[role=treeitem]')
      .filter({ has: this.page.locator('.label-name, .monaco-icon-label', { hasText: name }) })
      .first();
    await row.waitFor({ timeout });
    return row;
  }

  /** A tree row in a view, by its accessible name (label plus description, as VS Code builds it). */
  treeItem(viewName, name) {
    return this.view(viewName).getByRole('treeitem', { name });
  }

  /**
   * Right-clicks a row (a tree item) and runs the context-menu entry labelled `entry`. A tooltip
   * left by the previous hover (e.g. over a group row just expanded) can cover the row, so the
   * pointer moves away and the tooltip goes first.
   */
  async contextMenu(row, entry) {
    await this.page.mouse.move(1, 1);
    await this.page
      .locator('.workbench-hover-container, .monaco-hover:not(.hidden)')
      .first()
      .waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
    await row.click({ button: 'right' });
    const item = this.page.locator('.context-view .monaco-menu .action-item', { hasText: entry }).first();
    await item.waitFor({ timeout: DEFAULT_TIMEOUT });
    await item.click();
    // A click that lands while the menu is still settling leaves it open (seen in a narrow window):
    // then choose the entry with the keyboard, as a user would.
    const menu = this.page.locator('.context-view .monaco-menu');
    try {
      await menu.waitFor({ state: 'hidden', timeout: 5_000 });
    } catch {
      this.debug(`the context menu stayed open after clicking "${entry}"; choosing it with Enter`);
      await item.hover();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
    }
    this.debug(`ran "${entry}" from a context menu`);
  }

  /** Runs a command from the command palette (F1) by its full title, e.g. "Spheron: Show Logs". */
  async runCommand(title) {
    await this.pickFromPalette(`>${title}`, title);
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
  }

  /** Opens a workspace file by name through Quick Open (the palette without its ">" prefix). */
  async openFile(fileName) {
    await this.pickFromPalette(fileName, fileName);
    await this.page
      .locator('.editor-group-container .tab', { hasText: fileName })
      .first()
      .waitFor({ timeout: DEFAULT_TIMEOUT });
  }

  /**
   * Types `query` into the F1 palette and accepts the entry labelled exactly `label` with Enter once
   * it is the focused row, moving the focus down to it when another match ranks first (a click could
   * land on a row that moves while the list still fills).
   */
  async pickFromPalette(query, label) {
    const input = this.page.locator('.quick-input-widget input');
    const exactLabel = this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    // The palette lists the commands enabled when it opened. Opened while the window is still
    // settling (an editor's language not yet known, an extension still activating), it can miss
    // the one we want for good: so it is closed and opened again until the entry shows.
    const deadline = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ timeout: DEFAULT_TIMEOUT });
      await input.fill(query);
      const shown = await rows
        .filter({ has: exactLabel })
        .first()
        .waitFor({ timeout: PALETTE_ATTEMPT_MS })
        .then(
          () => true,
          () => false,
        );
      if (shown) {
        break;
      }
      if (Date.now() + PALETTE_ATTEMPT_MS > deadline) {
        throw new Error(`"${label}" never showed in the command palette for "${query}"`);
      }
      this.debug(`"${label}" is not in the palette yet; opening it again`);
      await input.press('Escape');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
    }
    const focused = rows.and(this.page.locator('.focused')).filter({ has: exactLabel });
    for (let moves = 0; (await focused.count()) === 0; moves++) {
      if (moves >= 20) {
        throw new Error(`"${label}" is listed in the palette but could not be focused`);
      }
      await input.press('ArrowDown');
    }
    await input.press('Enter');
    this.debug(`picked "${label}" from the palette`);
  }

  /**
   * Clicks the inline button `name` of a tree row (shown on hover) until the row goes, within
   * `timeout` in all. A refresh of the view re-renders its rows and their buttons, and a click that
   * spans a re-render reaches no button: nothing runs, and a user would click again. A button that
   * does nothing still fails, after `timeout`.
   */
  async clickRowButtonUntilGone(row, name, { timeout = 30_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        await row.hover({ timeout: ROW_CLICK_ATTEMPT_MS });
        await row.getByRole('button', { name }).click({ timeout: ROW_CLICK_ATTEMPT_MS });
      } catch (error) {
        if ((await row.count()) === 0) {
          return; // the earlier click took it away meanwhile
        }
        throw error;
      }
      const remainingMs = deadline - Date.now();
      const gone = await row
        .waitFor({ state: 'detached', timeout: Math.max(1_000, Math.min(ROW_CLICK_ATTEMPT_MS, remainingMs)) })
        .then(
          () => true,
          () => false,
        );
      if (gone) {
        return;
      }
      if (Date.now() + ROW_CLICK_ATTEMPT_MS > deadline) {
        throw new Error(`the row was still there ${timeout} ms after clicking its "${name}" button`);
      }
      this.debug(`clicked "${name}", but the row is still there; clicking again`);
    }
  }

  /**
   * Picks a notebook kernel in the kernel picker VS Code shows (Select Kernel, or Run Notebook on a
   * Spheron GPU… chosen with `pickFromPalette`: `runCommand` would wait for the quick input to close,
   * and the picker may take its place at once) by typing into its filter and accepting the focused row with Enter: the list may
   * still fill, so a click could land on a row that moves.
   */
  async pickKernel(label) {
    const input = this.page.locator('.quick-input-widget input');
    // The picker, not the palette that opened it: the row is listed.
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: label })
      .first()
      .waitFor({ timeout: DEFAULT_TIMEOUT });
    await input.fill(label);
    await this.page
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: label })
      .waitFor({ timeout: DEFAULT_TIMEOUT });
    await input.press('Enter');
    await this.page
      .locator('.notebook-toolbar-container', { hasText: label })
      .waitFor({ timeout: DEFAULT_TIMEOUT });
    this.debug(`picked the kernel "${label}"`);
  }

  /** Waits until the Output panel shows `channel` and its text matches `pattern`; returns the text. */
  async waitForOutput(channel, pattern, { timeout = DEFAULT_TIMEOUT } = {}) {
    const panel = this.page.locator('.part.panel');
    await panel.waitFor({ timeout });
    this.debug('panel shown');
    await panel
      .locator('.monaco-select-box, .action-item', { hasText: channel })
      .first()
      .waitFor({ timeout });
    const lines = panel.locator('.monaco-editor .view-lines').filter({ hasText: pattern }).first();
    await lines.waitFor({ timeout });
    return lines.innerText();
  }

  /** A notification toast with the given text (plain code-server only; see README of test/e2e). */
  notification(text) {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }

  /**
   * Waits for a notification with the given text and returns what it says: from its toast, or from
   * its row in the Notifications center, which is closed again. A CI run once saw the extension
   * show "Signed in to Spheron" (logged at once) while the workbench left it in the center, without
   * a toast, for over a minute; what the test asserts is that the notification was shown.
   */
  async waitForNotification(text, { timeout = DEFAULT_TIMEOUT, toastMs = 15_000 } = {}) {
    const toast = this.notification(text);
    try {
      await toast.waitFor({ timeout: Math.min(toastMs, timeout) });
      return await toast.innerText();
    } catch {
      // Not as a toast (yet): look in the center, which lists every notification.
    }
    console.log(
      `    (no toast “${text}” within ${Math.min(toastMs, timeout) / 1000} s: looking in the center)`,
    );
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center');
    const row = center.locator('.monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: Math.max(timeout - toastMs, 10_000) });
    const said = await row.innerText();
    await this.runCommand('Notifications: Hide Notifications');
    await center.locator('.monaco-list-row').first().waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
    return said;
  }

  /**
   * Lets the picture settle for a screenshot: the pointer off every control, no tooltip, no busy
   * progress bar in the side bar.
   */
  async settle({ timeout = 10_000 } = {}) {
    await this.page.mouse.move(1, 1);
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 800 };
    await this.page.mouse.move(Math.round(viewport.width * 0.6), Math.round(viewport.height * 0.5));
    await this.page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').first().waitFor({
      state: 'hidden',
      timeout,
    });
    await this.page
      .locator('.part.sidebar .monaco-progress-container.active')
      .first()
      .waitFor({ state: 'hidden', timeout });
  }

  /**
   * The content of a webview (panel or view): VS Code hosts each in an outer `iframe.webview.ready`
   * with the extension's HTML in the nested `#active-frame`. Returns a FrameLocator for the inner
   * document of the first visible webview whose content has `hasText` (any visible one without it).
   *   const form = await workbench.webview({ hasText: 'Deploy' });
   *   await form.getByRole('button', { name: 'Deploy' }).click();
   */
  async webview({ hasText, timeout = DEFAULT_TIMEOUT } = {}) {
    const deadline = Date.now() + timeout;
    const hosts = this.page.locator('iframe.webview.ready');
    for (;;) {
      const count = await hosts.count();
      for (let index = 0; index < count; index++) {
        const host = hosts.nth(index);
        if (!(await host.isVisible())) {
          continue;
        }
        const inner = host.contentFrame().locator('#active-frame').contentFrame();
        const body = hasText ? inner.locator('body', { hasText }) : inner.locator('body');
        if ((await body.count().catch(() => 0)) > 0) {
          return inner;
        }
      }
      if (Date.now() >= deadline) {
        throw new Error(`no visible webview${hasText ? ` containing "${hasText}"` : ''} after ${timeout} ms`);
      }
      await this.page.waitForTimeout(100); // polling interval between checks, not a wait for an effect
    }
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
