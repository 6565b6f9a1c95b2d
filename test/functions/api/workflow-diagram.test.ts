import { describe, expect, it } from 'vitest';
import { diagramLimits } from '../../../shared/workflow/diagram-renderer.js';
import { denseWorkflow } from '../../support/dense-workflow.js';
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
