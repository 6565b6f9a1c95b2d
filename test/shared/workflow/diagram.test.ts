import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arimoModule } from '../../../scripts/write-diagram-font.js';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import { workflowToMermaid, workflowToSvg } from '../../../shared/workflow/diagram.js';
import { graphvizInProcess } from '../../../shared/workflow/diagram-svg.js';
import { workflowDocumentSchema } from '../../../shared/workflow/schema.js';

const custom = workflowDocumentSchema.parse({
  format: 'orderflow.workflow/v1',
  name: 'Custom',
  initialStage: 'review',
  stages: [
    {
      id: 'review',
      label: 'Review & "approve"',
      onEnter: [
        {
          type: 'http',
          id: 'score',
          url: 'https://example.com/score',
          onError: { transitionTo: 'rejected' },
        },
      ],
      transitions: [
        { to: 'approved', auto: true, when: { field: 'totals.grand', op: 'lt', value: 100 } },
        { to: 'approved' },
        { to: 'rejected' },
      ],
      timeout: { after: 'P3D', to: 'rejected' },
    },
    { id: 'approved', label: 'Approved', final: true },
    { id: 'rejected', label: 'Rejected', final: true },
  ],
});

/**
 * Checks that the text is one well-formed XML element tree rooted at <svg>: every
 * tag closes in order. Enough to catch truncated or broken output without an XML library.
 */
function svgRootOf(text: string): string | undefined {
  const body = text
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const open: string[] = [];
  let root: string | undefined;
  for (const [, closing, name, selfClosing] of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (closing) {
      if (open.pop() !== name) return undefined;
    } else {
      if (open.length === 0) {
        if (root) return undefined;
        root = name;
      }
      if (!selfClosing) open.push(name as string);
    }
  }
  return open.length === 0 ? root : undefined;
}

describe('workflowToSvg', () => {
  it('renders a well-formed SVG that names every stage of the default workflow', async () => {
    const svg = await workflowToSvg(defaultWorkflow, {}, graphvizInProcess);
    expect(svgRootOf(svg)).toBe('svg');
    for (const stage of defaultWorkflow.stages) expect(svg).toContain(`>${stage.label}</text>`);
    expect(svg).toContain('inventory.reserve&#45;0 (inventory.reserve)');
  });

  it('escapes labels and draws auto, timeout and failure edges differently from manual ones', async () => {
    const svg = await workflowToSvg(custom, {}, graphvizInProcess);
    expect(svgRootOf(svg)).toBe('svg');
    expect(svg).toContain('Review &amp; &quot;approve&quot;');
    expect(svg).toContain('after 3 days');
    expect(svg).toContain('if score fails');
    expect(svg).toContain('auto if total under 1.00');
    expect(svg).toMatch(/stroke-dasharray="5,2"/);
    expect(svg).toMatch(/stroke-dasharray="1,5"/);
  });
});

describe('workflowToMermaid', () => {
  it('lists each stage once and every transition as an edge, with what it needs', () => {
    const text = workflowToMermaid(defaultWorkflow);
    const edges = text.split('\n').filter((line) => line.includes('-->'));
    expect(edges.map((line) => line.trim())).toEqual([
      'preliminary -->|"needs items, a customer"| submitted',
      'preliminary --> cancelled',
      'submitted -->|"needs prices"| confirmed',
      'submitted --> preliminary',
      'submitted --> cancelled',
      'confirmed --> completed',
      'confirmed --> cancelled',
      'completed -->|"needs a shipment"| shipped',
    ]);
    expect(text).toContain('shipped[["Shipped<br/>emits order.shipped"]]');
    expect(text).toContain('title: "Default"');
    expect(text).toContain('confirmed["Confirmed<br/>• inventory.reserve-0<br/>• purchase_order.create-1"]');
  });

  it('marks auto, timeout and failure edges and escapes quotes', () => {
    const text = workflowToMermaid(custom);
    expect(text).toContain('review["Review & #quot;approve#quot;<br/>• score"]');
    expect(text).toContain('review -.->|"auto if total under 1.00"| approved');
    expect(text).toContain('review -.->|"after 3 days"| rejected');
    expect(text).toContain('review ==>|"if score fails"| rejected');
    expect(text).toContain('review --> approved');
  });
});

describe('the font the diagram embeds', () => {
  it('is the one generated from the font package (npm run fonts)', () => {
    const shipped = readFileSync(new URL('../../../shared/workflow/fonts/arimo.ts', import.meta.url), 'utf8');
    expect(shipped).toBe(arimoModule());
  });
});
