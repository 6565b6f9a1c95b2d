/**
 * The console in a real browser (Chromium from @sparticuz/chromium, driven by playwright-core)
 * against the local stack. `UPDATE_SCREENSHOTS=1` also saves the README's screenshots.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import chromium from '@sparticuz/chromium';
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../support/stack.js';

const api = useStack();
const printShop = readFileSync(new URL('../../examples/print-shop.workflow.json', import.meta.url), 'utf8');
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? new URL('../../docs/images/', import.meta.url).pathname
  : `${tmpdir()}/`;
let browser: Browser;
let tenant: { tenantId: string; apiKey: string };

beforeAll(async () => {
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
  tenant = await api.newTenant('Print shop');
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** Each test opens its own page; none is closed, as Chromium's single-process mode ends with its last page. */
async function openConsole(key: string, view: 'board' | 'studio'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${api.stack.url}/console`);
  await page.getByRole('textbox', { name: 'API key' }).fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
  if (view === 'studio') await page.getByRole('tab', { name: 'Workflow studio' }).click();
  return page;
}

async function replaceDocument(page: Page, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Workflow document' });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('the workflow studio', () => {
  it('shows each validation error at its line, then publishes the fixed document', async () => {
    const page = await openConsole(tenant.apiKey, 'studio');
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 })
      .toContain('active version 0');
    await replaceDocument(page, printShop.replace('"initialStage": "quote"', '"initialStage": "nowhere"'));
    const error = page.getByRole('button', { name: /Line 5: \/initialStage/ });
    await error.waitFor({ timeout: 30_000 });
    await replaceDocument(page, printShop);
    await page.getByRole('status').filter({ hasText: 'Valid' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published as version 1.').waitFor();
    const active = await api.call('/v1/workflow', { key: tenant.apiKey });
    expect(active.headers.get('workflow-version')).toBe('1');
    expect(active.body.name).toBe('Print shop');
  }, 120_000);

  it('simulates a sample order through the document and shows its path and refusals', async () => {
    const page = await openConsole(tenant.apiKey, 'studio');
    await page.getByRole('status').filter({ hasText: 'Valid' }).waitFor({ timeout: 30_000 });
    await page
      .getByLabel('Steps')
      .fill(JSON.stringify([{ to: 'proofing' }, { to: 'approved' }, { to: 'shipped' }]));
    await page.getByRole('button', { name: 'Simulate' }).click();
    const path = page.locator('ol.path');
    await path.waitFor();
    expect(await path.locator('li').allTextContents()).toEqual([
      expect.stringContaining('quote (created)'),
      expect.stringContaining('proofing (api)'),
      expect.stringContaining('approved (api)'),
      expect.stringContaining('production (auto)'),
    ]);
    await page.getByText('Refused steps (1)').waitFor();
    await page.getByText('The order cannot move from "production" to "shipped".').first().waitFor();
    await page.locator('img.diagram[src^="data:image/svg+xml"]').waitFor();
    await page.screenshot({ path: `${screenshots}console-studio.png` });
  }, 120_000);

  it('tells a key without workflow:write why it cannot publish', async () => {
    const { body: key } = await api.call(`/v1/admin/tenants/${tenant.tenantId}/keys`, {
      method: 'POST',
      key: api.adminKey,
      body: { role: 'staff' },
    });
    const page = await openConsole(key.apiKey, 'studio');
    await page.getByRole('status').filter({ hasText: 'Valid' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/This key cannot publish: .*workflow:write/).waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    expect((await api.call('/v1/workflow', { key: tenant.apiKey })).headers.get('workflow-version')).toBe(
      '1',
    );
  }, 120_000);
});

describe('the order board', () => {
  it('moves an order across the board and shows why a refused transition is refused', async () => {
    const created = await api.call('/v1/orders', { method: 'POST', key: tenant.apiKey, body: sampleOrder });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const page = await openConsole(tenant.apiKey, 'board');
    const quote = page.getByRole('region', { name: 'Quote orders' });
    await quote.locator(`[data-order="${id}"]`).click();
    await page.getByRole('button', { name: 'Proof sent' }).click();
    await page.getByText('Moved to Proof sent.').waitFor();
    await page.getByRole('region', { name: 'Proof sent orders' }).locator(`[data-order="${id}"]`).waitFor();
    expect(await quote.locator(`[data-order="${id}"]`).count()).toBe(0);

    const approve = page.getByRole('button', { name: 'Approved' });
    expect(await approve.isDisabled()).toBe(true);
    const reason = page.locator(`#${await approve.getAttribute('aria-describedby')}`);
    expect(await reason.textContent()).toContain('The order has no attachments');
    await page.getByRole('region', { name: 'Order details' }).getByText('History').waitFor();
    await page.screenshot({ path: `${screenshots}console-board.png`, fullPage: true });
    expect((await api.call(`/v1/orders/${id}`, { key: tenant.apiKey })).body.stage).toBe('proofing');
  }, 120_000);
});
