import { Page } from 'playwright-core';

/** Focus a control and press a key: the keyboard-only path. */
export async function press(page: Page, name: string, key = 'Enter'): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  await button.focus();
  await page.keyboard.press(key);
}

/** Adds a step through the builder's "Add step" dialog (with the keyboard only when `keyboard`). */
export async function addStep(
  page: Page,
  opener: string,
  kind: 'Connector action' | 'Transform' | 'Condition',
  name: string,
  keyboard = false,
): Promise<void> {
  if (keyboard) await press(page, opener);
  else await page.getByRole('button', { name: opener, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add step' });
  await dialog.getByLabel('Step kind').selectOption({ label: kind });
  if (kind === 'Connector action') {
    await dialog.getByLabel('Connector').selectOption('http');
    await dialog.getByLabel('Action').selectOption('request');
  }
  await dialog.getByLabel('Step name').fill(name);
  if (keyboard) await dialog.getByLabel('Step name').press('Enter');
  else await dialog.getByRole('button', { name: 'Add this step' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: new RegExp(`^Step \\d+: ${name}$`) }).waitFor();
}

/**
 * Runs the builder's dry run with `payload` and side effects on, and waits until it succeeded and
 * each of `steps` shows succeeded and its duration on its graph node.
 */
export async function dryRunWithSideEffects(page: Page, payload: string, steps: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Dry run', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Dry run' });
  await dialog.getByLabel('Trigger payload (JSON)').fill(payload);
  await dialog.getByLabel(/^Side effects/).check();
  await dialog.getByRole('button', { name: 'Run dry run' }).click();
  await page.getByTestId('dry-run-result').filter({ hasText: 'succeeded' }).waitFor();
  for (const step of steps) {
    const node = page.locator('.flow-node', { hasText: step });
    await node.getByText('succeeded').waitFor();
    await node.getByText(/\d+(\.\d+)? (ms|s)$/).waitFor();
  }
}
