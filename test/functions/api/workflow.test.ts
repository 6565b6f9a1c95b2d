import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../../support/stack.js';

const api = useStack();
const printShop = JSON.parse(
  readFileSync(new URL('../../../examples/print-shop.workflow.json', import.meta.url), 'utf8'),
);

describe('the workflow API', () => {
  it('validates a document without publishing it, listing every error with its path', async () => {
    const invalid = {
      ...printShop,
      initialStage: 'nowhere',
      stages: [{ ...printShop.stages[0], transitions: [{ to: 'missing' }] }, ...printShop.stages.slice(1)],
    };
    const response = await api.call('/v1/workflow/validate', { method: 'POST', body: invalid });
    expect(response.status).toBe(200);
    expect(response.body.valid).toBe(false);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/initialStage', '/stages/0/transitions/0/to']));
    const valid = await api.call('/v1/workflow/validate', { method: 'POST', body: printShop });
    expect(valid.body).toMatchObject({ valid: true, errors: [] });
    expect((await api.call('/v1/workflow')).headers.get('workflow-version')).toBe('0');
  });

  it('refuses to publish an invalid document with 422 and every error', async () => {
    const response = await api.call('/v1/workflow', { method: 'PUT', body: { format: 'nope', stages: 'x' } });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.length).toBeGreaterThanOrEqual(3);
    for (const error of response.body.errors) expect(typeof error.path).toBe('string');
  });

  it('publishes versions that pin new orders while existing orders keep theirs', async () => {
    const { apiKey } = await api.newTenant('Printer');
    const before = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder });
    expect(before.body.workflow.version).toBe(0);
    expect(before.body.stage).toBe('preliminary');

    const published = await api.call('/v1/workflow', { method: 'PUT', key: apiKey, body: printShop });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(1);

    const active = await api.call('/v1/workflow', { key: apiKey });
    expect(active.headers.get('workflow-version')).toBe('1');
    expect(active.body).toEqual(printShop);

    const after = await api.call('/v1/orders', { method: 'POST', key: apiKey, body: sampleOrder });
    expect(after.body.workflow.version).toBe(1);
    expect(after.body.stage).toBe('quote');
    expect((await api.call(`/v1/orders/${before.body.id}`, { key: apiKey })).body.workflow.version).toBe(0);

    const versions = await api.call('/v1/workflow/versions', { key: apiKey });
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1, 0]);
    const detail = await api.call('/v1/workflow/versions/1', { key: apiKey });
    expect(detail.body.document).toEqual(printShop);
    expect(detail.body.asl.StartAt).toBe('quote: wait');
    expect(detail.body.aslSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.body.publishedBy).toMatchObject({ type: 'key' });
    expect((await api.call('/v1/workflow/versions/7', { key: apiKey })).status).toBe(404);

    // Another tenant is untouched.
    expect((await api.call('/v1/workflow')).headers.get('workflow-version')).toBe('0');
  });

  it('pages through versions newest first', async () => {
    const { apiKey } = await api.newTenant('Pager');
    for (let i = 0; i < 3; i++) {
      await api.call('/v1/workflow', {
        method: 'PUT',
        key: apiKey,
        body: { ...printShop, name: `v${i + 1}` },
      });
    }
    const first = await api.call('/v1/workflow/versions?limit=2', { key: apiKey });
    expect(first.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    const second = await api.call(
      `/v1/workflow/versions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        key: apiKey,
      },
    );
    expect(second.body.items.map((v: { version: number }) => v.version)).toEqual([1, 0]);
    expect(second.body.nextCursor).toBeNull();

    // Published versions filling a page exactly: the built-in one follows on the next page.
    const full = await api.call('/v1/workflow/versions?limit=3', { key: apiKey });
    expect(full.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const rest = await api.call(
      `/v1/workflow/versions?limit=3&cursor=${encodeURIComponent(full.body.nextCursor)}`,
      {
        key: apiKey,
      },
    );
    expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([0]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('draws the workflow as SVG or Mermaid', async () => {
    const svg = await api.call('/v1/workflow/diagram');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.body).toContain('<svg');
    for (const label of ['Preliminary', 'Submitted', 'Confirmed', 'Completed', 'Shipped', 'Cancelled']) {
      expect(svg.body).toContain(label);
    }
    const mermaid = await api.call('/v1/workflow/diagram?version=0', {
      headers: { accept: 'text/vnd.mermaid' },
    });
    expect(mermaid.headers.get('content-type')).toContain('text/vnd.mermaid');
    expect(mermaid.body).toContain('confirmed');
    expect((await api.call('/v1/workflow/diagram?version=9')).status).toBe(404);
  });
});
