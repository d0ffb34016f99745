// The deploy form as a user reaches and fills it; shared by the UI test and `npm run screenshots`.
// The form lives two iframes down (Workbench.webview); its controls are @vscode-elements, whose
// inputs sit in shadow roots that Playwright's CSS selectors pierce.

const STEP = 60_000;

/** The simulator's seed offer the UI deploys: tensordock's RTX 4090 ($0.38/h, us-east-1). */
export const RTX4090 = {
  group: 'RTX 4090',
  offerId: 'rtx-4090-tensordock-1',
  /** The offer row's accessible name starts with its price (its group's row mentions it too). */
  row: /^\$0\.38\/h/,
  price: '$0.38',
  region: 'us-east-1',
  os: 'ubuntu-22.04',
};

/** Opens the Spheron views, expands the offer's GPU group and runs "Deploy…" from the offer's context menu. */
export async function openDeployFormFromOffers(workbench, offer = RTX4090) {
  await workbench.openSpheron();
  const group = await workbench.waitForTreeItem('Offers', offer.group);
  await group.click();
  const offerRow = workbench.view('Offers').getByRole('treeitem', { name: offer.row });
  await offerRow.waitFor({ timeout: STEP });
  await workbench.contextMenu(offerRow, 'Deploy GPU Instance…');
  const form = await workbench.webview({ hasText: 'Cost' });
  await form.locator('#deploy').waitFor({ timeout: STEP });
  await waitUntil(
    async () => (await form.locator('#cost-panel').innerText()).includes(offer.price),
    'the cost panel',
  );
  return form;
}

/** Picks an option of a <vscode-single-select> the way a user does: open it, click the option. */
export async function chooseOption(form, selectId, optionText) {
  const select = form.locator(`#${selectId}`);
  await select.click();
  const option = form.locator(`#${selectId} [role="option"]`, { hasText: optionText }).first();
  await option.waitFor({ timeout: STEP });
  await option.click();
  await form.locator(`#${selectId} [role="listbox"]`).waitFor({ state: 'hidden', timeout: STEP });
  await waitUntil(
    async () => (await select.evaluate((element) => element.value)) !== '',
    `${selectId} to take "${optionText}"`,
  );
}

/** Types into the fields like a user: name, region, OS, SSH key, then the startup script. */
export async function fillDeployForm(form, { name, region, os, sshKey, packages, commands }) {
  const nameInput = form.locator('#name input');
  await nameInput.fill('');
  await nameInput.pressSequentially(name);
  await chooseOption(form, 'region', region);
  await chooseOption(form, 'os', os);
  await chooseOption(form, 'ssh-key', sshKey);
  if (packages !== undefined) {
    await form.locator('#packages input').fill(packages);
  }
  if (commands !== undefined) {
    await form.locator('#commands textarea').fill(commands);
  }
}

/** Polls an async condition until it holds (or throws after `timeout`). */
export async function waitUntil(condition, what, timeout = STEP) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250)); // polling interval, not a wait for an effect
  }
}
