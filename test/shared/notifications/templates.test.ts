import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  renderHtml,
  renderSubject,
  renderText,
  TEMPLATE_PLACEHOLDERS,
  templateProblems,
  templateValues,
} from '../../../shared/notifications/templates.js';
import { newOrder } from '../../../shared/orders/order.js';
import { CreateOrderRequest } from '../../../shared/orders/schema.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';

const order = newOrder({
  request: CreateOrderRequest.parse({
    currency: 'GBP',
    customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 0000' },
    items: [{ sku: 'CARD-100', quantity: 500, unitPrice: 12 }],
    services: [{ code: 'design', price: 4000 }],
    shipping: { method: 'pickup' },
    metadata: { po: 'PO-7' },
  }),
  stage: 'submitted',
  workflowVersion: 1,
  now: new Date('2026-11-26T10:00:00.000Z'),
});
const values = templateValues(order, { id: 'submitted', label: 'Submitted for review' });

describe('email templates', () => {
  it('render every placeholder the docs list', () => {
    const expected: Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string> = {
      'order.id': order.id,
      'order.stage': 'submitted',
      'order.customer.name': 'Ada Lovelace',
      'order.customer.email': 'ada@example.com',
      'order.customer.phone': '+44 20 0000',
      'order.shipping.method': 'pickup',
      'order.itemCount': '1',
      'order.totals.grand': '100.00',
      'order.totals.items': '60.00',
      'order.totals.services': '40.00',
      'order.totals.currency': 'GBP',
      'order.createdAt': '2026-11-26T10:00:00.000Z',
      'stage.id': 'submitted',
      'stage.label': 'Submitted for review',
    };
    for (const name of TEMPLATE_PLACEHOLDERS) {
      expect(templateProblems(`{{${name}}}`)).toEqual([]);
      expect(renderText(`[{{ ${name} }}]`, values)).toBe(`[${expected[name]}]`);
    }
    expect(renderText('{{order.metadata.po}}/{{order.metadata.absent}}', values)).toBe('PO-7/');
  });

  it('write money in the currency’s own digits', () => {
    const yen = { ...order, totals: { ...order.totals, currency: 'JPY', grand: 500 } };
    expect(renderText('{{order.totals.grand}}', templateValues(yen, { id: 's', label: 'S' }))).toBe('500');
  });

  it('name each unknown placeholder and each stray brace', () => {
    expect(templateProblems('Hi {{order.customer.nickname}} and {{ order.secret }}')).toEqual([
      expect.stringContaining('unknown placeholder {{order.customer.nickname}}'),
      expect.stringContaining('unknown placeholder {{order.secret}}'),
    ]);
    expect(templateProblems('Hi {{order.id')).toEqual([expect.stringContaining('"{{" and "}}"')]);
    expect(templateProblems('{{#each items}}{{/each}}')).toHaveLength(2);
  });

  it('escape HTML in every value of the HTML part, and keep the text part and subject verbatim', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (name) => {
        const named = templateValues(
          { ...order, customer: { ...order.customer, name } },
          { id: 's', label: 'S' },
        );
        const html = renderHtml('Dear {{order.customer.name}}', named);
        const body = (/<p>([\s\S]*)<\/p>/.exec(html) as RegExpExecArray)[1] as string;
        expect(body.replace(/<br>/g, '')).not.toMatch(/[<>"']/);
        const unescaped = body
          .replace(/<br>\n/g, '\n')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&');
        expect(unescaped).toBe(`Dear ${name.replace(/\r\n/g, '\n')}`);
        expect(renderText('Dear {{order.customer.name}}', named)).toBe(`Dear ${name}`);
        expect(renderSubject('Dear {{order.customer.name}}', named)).not.toMatch(/[\r\n]/);
      }),
    );
    expect(
      renderHtml(
        '{{order.customer.name}}',
        templateValues({ ...order, customer: { name: '<script>x</script>' } }, { id: 's', label: 'S' }),
      ),
    ).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('publishing an email action', () => {
  const document = (action: Record<string, unknown>) => ({
    format: 'orderflow.workflow/v1',
    name: 'Mail',
    initialStage: 'open',
    stages: [
      { id: 'open', transitions: [{ to: 'done' }] },
      {
        id: 'done',
        final: true,
        onEnter: [
          { type: 'email', to: ['role:reviewer'], subject: 'Order {{order.id}}', text: 'Done.', ...action },
        ],
      },
    ],
  });

  it('refuses an unknown placeholder, with its path', () => {
    const result = validateWorkflow(document({ subject: 'Order {{order.number}}', text: 'By {{customer}}' }));
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: '/stages/1/onEnter/0/subject',
        message: expect.stringContaining('{{order.number}}'),
      }),
      expect.objectContaining({
        path: '/stages/1/onEnter/0/text',
        message: expect.stringContaining('{{customer}}'),
      }),
    ]);
  });

  it('refuses a recipient that is no address, "customer" or "role:<role>"', () => {
    const result = validateWorkflow(document({ to: ['customer', 'role:Reviewers', 'nobody'] }));
    expect(result.errors.map((error) => error.path)).toEqual([
      '/stages/1/onEnter/0/to/1',
      '/stages/1/onEnter/0/to/2',
    ]);
  });

  it('accepts the documented recipients and placeholders', () => {
    const result = validateWorkflow(
      document({
        to: ['customer', 'role:reviewer', 'ops@example.com'],
        text: '{{order.customer.name}}, {{stage.label}}',
      }),
    );
    expect(result.errors).toEqual([]);
  });
});
