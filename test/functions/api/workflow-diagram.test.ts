import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { denseWorkflow } from '../../../examples/dense-workflow.js';
import { diagramLimits } from '../../../shared/workflow/diagram-renderer.js';
import { useStack } from '../../support/stack.js';

const api = useStack();

describe('the workflow diagram of a dense workflow', () => {
  it('is refused at once with a 422 naming the limit, while Mermaid text is still drawn', async () => {
    const { apiKey } = await api.newTenant('Dense shop');
    const published = await api.call('/v1/workflow', {
      method: 'PUT',
      key: apiKey,
      body: denseWorkflow(40, 10),
    });
    expect(published.status).toBe(201);

    const svg = await api.call('/v1/workflow/diagram', { key: apiKey });
    expect(svg.status).toBe(422);
    expect(svg.headers.get('content-type')).toBe('application/problem+json');
    expect(svg.body.detail).toContain(`at most ${diagramLimits.arrows}`);
    expect(svg.body.limits).toEqual(diagramLimits);

    const mermaid = await api.call('/v1/workflow/diagram', {
      key: apiKey,
      headers: { accept: 'text/vnd.mermaid' },
    });
    expect(mermaid.status).toBe(200);
    expect(mermaid.body).toContain('s39');
  });

  it('is drawn for a workflow within the limit', async () => {
    const { apiKey } = await api.newTenant('Sparse shop');
    await api.call('/v1/workflow', { method: 'PUT', key: apiKey, body: denseWorkflow(8, 2) });
    const svg = await api.call('/v1/workflow/diagram', { key: apiKey });
    expect(svg.status).toBe(200);
    expect(svg.body).toContain('<svg');
  });
});

describe('the workflow diagram', () => {
  it('shows amounts in the currency asked for, and carries the one font it is drawn in', async () => {
    const { apiKey } = await api.newTenant('Print shop');
    const printShop = JSON.parse(
      readFileSync(new URL('../../../examples/print-shop.workflow.json', import.meta.url), 'utf8'),
    );
    const drawn = await api.call('/v1/workflow/diagram?currency=EUR', {
      method: 'POST',
      key: apiKey,
      body: printShop,
    });
    expect(drawn.status).toBe(200);
    expect(drawn.body).toContain('total under €500.00');
    expect(drawn.body).toContain('@font-face{font-family:"Arimo";src:url(data:font/woff2;base64,');
    expect(new Set(drawn.body.match(/font-family="[^"]*"/g))).toEqual(new Set(['font-family="Arimo"']));

    const refused = await api.call('/v1/workflow/diagram?currency=euro', { key: apiKey });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: '/query/currency' })]);
  });
});
