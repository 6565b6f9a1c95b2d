/**
 * The console in a real browser (Chromium from @sparticuz/chromium, driven by playwright-core)
 * against the local stack. `UPDATE_SCREENSHOTS=1` also saves the README's screenshots.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import chromium from '@sparticuz/chromium';
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
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
    const diagram = page.locator('img.diagram[src^="data:image/svg+xml"]');
    await diagram.waitFor();
    await page.screenshot({ path: `${screenshots}console-studio.png` });
    const small = (await diagram.boundingBox())?.width ?? 0;
    await page.getByRole('button', { name: 'Enlarge diagram' }).click();
    expect((await diagram.boundingBox())?.width).toBeGreaterThan(2 * small);
    await page.screenshot({ path: `${screenshots}console-studio-diagram.png` });
    await page.keyboard.press('Escape');
    expect((await diagram.boundingBox())?.width).toBe(small);
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
  it('creates an order, moves it across the board and shows why a refused transition is refused', async () => {
    const page = await openConsole(tenant.apiKey, 'board');
    await page.getByText('New order').click();
    const orderJson = page.getByLabel('Order (JSON, as POST /v1/orders takes it)');
    await orderJson.fill(JSON.stringify({ ...sampleOrder, currency: 'pounds' }));
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByRole('alert').filter({ hasText: '/currency' }).waitFor();
    await orderJson.fill(JSON.stringify(sampleOrder));
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByText('Order created.').waitFor();
    const id = (
      (await page.getByRole('heading', { level: 3, name: /^Order ord_/ }).textContent()) ?? ''
    ).slice(6);
    expect((await api.call(`/v1/orders/${id}`, { key: tenant.apiKey })).body.customer).toEqual(
      sampleOrder.customer,
    );
    await page.getByText('New order').click();
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

describe("the order board's holds, shipments and returns", () => {
  /** An order of 2 × SHIP-A and 1 × SHIP-B under the built-in default, brought to `completed` (a shipping stage). */
  async function completedOrder(key: string): Promise<string> {
    const created = await api.call('/v1/orders', {
      method: 'POST',
      key,
      body: {
        currency: 'EUR',
        customer: { name: 'Grace Hopper', email: 'grace@example.com' },
        items: [
          { sku: 'SHIP-A', name: 'Posters', quantity: 2, unitPrice: 1250 },
          { sku: 'SHIP-B', name: 'Banner', quantity: 1, unitPrice: 4000 },
        ],
        shipping: { method: 'pickup' },
      },
    });
    const id = created.body.id as string;
    const move = (to: string) =>
      api.call(`/v1/orders/${id}/transitions`, { method: 'POST', key, body: { to } });
    expect((await move('submitted')).status).toBe(200);
    expect((await move('confirmed')).status).toBe(200);
    await eventually('the confirmed actions', async () =>
      (await api.call(`/v1/orders/${id}`, { key })).body.actions.state === 'succeeded' ? true : undefined,
    );
    expect((await move('completed')).status).toBe(200);
    return id;
  }

  it('holds and releases an order, ships part of it, and takes a return through to its refund', async () => {
    const shop = await api.newTenant('Poster shop');
    const id = await completedOrder(shop.apiKey);
    const page = await openConsole(shop.apiKey, 'board');
    await page.getByRole('region', { name: 'Completed orders' }).locator(`[data-order="${id}"]`).click();
    const details = page.getByRole('region', { name: 'Order details' });
    const status = (text: string) => details.getByRole('status').filter({ hasText: text }).waitFor();
    const reasonOf = async (name: string) =>
      page
        .locator(
          `#${await details.getByRole('button', { name, exact: true }).getAttribute('aria-describedby')}`,
        )
        .textContent();

    await details.getByLabel('Hold reason').selectOption('fraud_review');
    await details.getByLabel('Hold note').fill('card country differs');
    await details.getByRole('button', { name: 'Place hold' }).click();
    await status('Hold placed.');
    await details.getByText('fraud_review — card country differs').waitFor();
    expect(await details.getByRole('button', { name: 'Shipped', exact: true }).isDisabled()).toBe(true);
    expect(await reasonOf('Shipped')).toContain('The order is on hold');
    expect((await api.call(`/v1/orders/${id}`, { key: shop.apiKey })).body.holds).toEqual([
      expect.objectContaining({ reason: 'fraud_review', note: 'card country differs' }),
    ]);
    await details.getByRole('button', { name: 'Release fraud_review' }).click();
    await status('Hold released.');
    await details.getByText('Not on hold.').waitFor();

    await details.getByLabel('Parcel carrier').fill('UPS');
    await details.getByLabel('Parcel tracking number').fill('1Z-1');
    await details.getByLabel('Ship SHIP-A').fill('1');
    await details.getByLabel('Ship SHIP-B').fill('0');
    await details.getByRole('button', { name: 'Record shipment' }).click();
    await status('Shipment recorded.');
    await details.getByText('UPS 1Z-1: 1 × SHIP-A').waitFor();
    const shipped = (await api.call(`/v1/orders/${id}`, { key: shop.apiKey })).body;
    expect(shipped.stage).toBe('completed');
    expect(shipped.items.map((item: { shippedQuantity?: number }) => item.shippedQuantity ?? 0)).toEqual([
      1, 0,
    ]);

    await details.getByLabel('Return SHIP-A').fill('1');
    await details.getByLabel('Return reason').fill('torn');
    await details.getByRole('button', { name: 'Request return' }).click();
    await status('Return requested.');
    await details.getByLabel('Restock').check();
    await details.getByRole('button', { name: 'Receive' }).click();
    await status('Return received.');
    expect(await details.getByRole('button', { name: 'Receive' }).isDisabled()).toBe(true);
    expect(await reasonOf('Receive')).toContain('The return is received; it cannot become received.');

    const { body: staff } = await api.call(`/v1/admin/tenants/${shop.tenantId}/keys`, {
      method: 'POST',
      key: api.adminKey,
      body: { role: 'staff' },
    });
    const staffPage = await openConsole(staff.apiKey, 'board');
    await staffPage.getByRole('region', { name: 'Completed orders' }).locator(`[data-order="${id}"]`).click();
    const staffRefund = staffPage
      .getByRole('region', { name: 'Order details' })
      .getByRole('button', { name: 'Refund' });
    expect(await staffRefund.isDisabled()).toBe(true);
    expect(
      await staffPage.locator(`#${await staffRefund.getAttribute('aria-describedby')}`).textContent(),
    ).toContain('"orders:approve"');

    expect(await details.getByLabel('Refund amount (EUR)').inputValue()).toBe('12.50');
    await details.getByLabel('Refund amount (EUR)').fill('10.00');
    await details.getByRole('button', { name: 'Refund' }).click();
    await status('Return refunded.');
    await details.getByText('refunded: 1 × SHIP-A, worth €12.50, refunded €10.00').waitFor();
    await page.screenshot({ path: `${screenshots}console-order-operations.png`, fullPage: true });
    const { body: returns } = await api.call(`/v1/orders/${id}/returns`, { key: shop.apiKey });
    expect(returns.items).toEqual([
      expect.objectContaining({
        status: 'refunded',
        items: [{ sku: 'SHIP-A', quantity: 1, reason: 'torn' }],
        restocked: true,
        refund: expect.objectContaining({ amount: 1000 }),
      }),
    ]);
  }, 180_000);
});
