/**
 * An order's holds, shipments and returns on the board: each call is a button the API's own
 * judgement (`GET /orders/{id}/transitions`, `operations`) disables, with its reason beside it.
 */

import { formatMoney, toMajor, toMinor } from '../../shared/money.js';
import { HOLD_REASONS } from '../../shared/orders/hold-reasons.js';
import type { OrderOperations } from '../../shared/orders/operation-options.js';
import { h, type Problem, reasonOf } from './api.js';

export interface OperatedOrder {
  id: string;
  items: { sku: string; name?: string; quantity: number; shippedQuantity?: number }[];
  shipments: {
    id?: string;
    carrier?: string;
    trackingNumber?: string;
    items: { sku: string; quantity: number }[];
    shippedAt?: string;
  }[];
  holds?: { id: string; reason: string; note?: string; placedAt?: string }[];
  returns?: {
    id: string;
    status: 'requested' | 'received' | 'refunded' | 'rejected';
    items: { sku: string; quantity: number; reason?: string }[];
    value: number;
    refund?: { amount: number };
  }[];
  totals: { currency: string };
}

/** Calls the API for the person, then shows the order again with `done` or the refusal. */
export type Act = (method: 'POST' | 'DELETE', path: string, body: unknown, done: string) => Promise<void>;

/** A button for one call: disabled when the API would refuse it, its reason beside it. */
export function guardedButton(
  text: string,
  option: { allowed: boolean; problem?: Problem },
  id: string,
  onclick: () => unknown,
  attributes: Record<string, unknown> = {},
): HTMLElement[] {
  const reasonId = `reason-${id}`;
  return [
    h('button', {
      type: 'button',
      text,
      disabled: !option.allowed,
      'aria-describedby': option.problem ? reasonId : undefined,
      onclick,
      ...attributes,
    }),
    option.problem ? h('span', { id: reasonId, class: 'reason', text: reasonOf(option.problem) }) : null,
  ].filter((element): element is HTMLElement => element !== null);
}

const linesInWords = (lines: { sku: string; quantity: number }[]) =>
  lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ');

/** A label and its input, kept on one line when the form wraps. */
function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('span', { class: 'field' }, h('label', { for: id, text: label }), input);
}

function quantityInputs(
  order: OperatedOrder,
  prefix: string,
  label: string,
  initial: (line: OperatedOrder['items'][number]) => number,
) {
  return order.items.map((line) => ({
    sku: line.sku,
    input: h('input', {
      id: `${prefix}-${line.sku}`,
      type: 'number',
      min: '0',
      max: String(line.quantity),
      value: String(initial(line)),
      class: 'quantity',
    }),
    label: `${label} ${line.sku}`,
  }));
}

const chosen = (inputs: { sku: string; input: HTMLInputElement }[]) =>
  inputs
    .map(({ sku, input }) => ({ sku, quantity: Number(input.value) }))
    .filter((line) => line.quantity > 0);

export function holdsView(order: OperatedOrder, operations: OrderOperations, act: Act): HTMLElement {
  const reason = h(
    'select',
    { id: 'hold-reason' },
    ...HOLD_REASONS.map((value) => h('option', { value, text: value })),
  );
  const note = h('input', { id: 'hold-note', placeholder: 'card country differs' });
  const holds = order.holds ?? [];
  return h(
    'section',
    { class: 'operation', 'aria-label': 'Holds' },
    h('h4', { text: 'Holds' }),
    holds.length
      ? h(
          'ul',
          { class: 'holds' },
          ...holds.map((hold) =>
            h(
              'li',
              {},
              `${hold.reason}${hold.note ? ` — ${hold.note}` : ''} `,
              ...guardedButton(`Release ${hold.reason}`, operations.releaseHold, `release-${hold.id}`, () =>
                act('DELETE', `/v1/orders/${order.id}/holds/${hold.id}`, undefined, 'Hold released.'),
              ),
            ),
          ),
        )
      : h('p', { text: 'Not on hold.' }),
    h(
      'p',
      { class: 'form' },
      field('hold-reason', 'Hold reason', reason),
      field('hold-note', 'Hold note', note),
      ...guardedButton('Place hold', operations.placeHold, 'place-hold', () =>
        act(
          'POST',
          `/v1/orders/${order.id}/holds`,
          { reason: reason.value, ...(note.value ? { note: note.value } : {}) },
          'Hold placed.',
        ),
      ),
    ),
  );
}

export function shipmentsView(order: OperatedOrder, operations: OrderOperations, act: Act): HTMLElement {
  const carrier = h('input', { id: 'parcel-carrier', placeholder: 'UPS' });
  const tracking = h('input', { id: 'parcel-tracking', placeholder: '1Z999' });
  const quantities = quantityInputs(
    order,
    'ship',
    'Ship',
    (line) => line.quantity - (line.shippedQuantity ?? 0),
  );
  return h(
    'section',
    { class: 'operation', 'aria-label': 'Shipments' },
    h('h4', { text: 'Shipments' }),
    order.shipments.length
      ? h(
          'ul',
          {},
          ...order.shipments.map((shipment) =>
            h('li', {
              text: `${[shipment.carrier, shipment.trackingNumber].filter(Boolean).join(' ') || 'Parcel'}: ${linesInWords(shipment.items)}${shipment.shippedAt ? ` on ${shipment.shippedAt}` : ''}`,
            }),
          ),
        )
      : h('p', { text: 'Nothing shipped yet.' }),
    h(
      'p',
      { class: 'form' },
      field('parcel-carrier', 'Parcel carrier', carrier),
      field('parcel-tracking', 'Parcel tracking number', tracking),
      ...quantities.map(({ input, label }) => field(input.id, label, input)),
      ...guardedButton('Record shipment', operations.createShipment, 'record-shipment', () =>
        act(
          'POST',
          `/v1/orders/${order.id}/shipments`,
          {
            ...(carrier.value ? { carrier: carrier.value } : {}),
            ...(tracking.value ? { trackingNumber: tracking.value } : {}),
            items: chosen(quantities),
          },
          'Shipment recorded.',
        ),
      ),
    ),
  );
}

export function returnsView(order: OperatedOrder, operations: OrderOperations, act: Act): HTMLElement {
  const { currency } = order.totals;
  const money = (minor: number) => formatMoney(minor, currency);
  const quantities = quantityInputs(order, 'return', 'Return', () => 0);
  const reason = h('input', { id: 'return-reason', placeholder: 'misprint' });
  const path = (id: string, step: string) => `/v1/orders/${order.id}/returns/${id}/${step}`;
  const returnRow = (returned: NonNullable<OperatedOrder['returns']>[number]) => {
    const judged = operations.returns.find((candidate) => candidate.id === returned.id);
    const summary = `${returned.id} ${returned.status}: ${linesInWords(returned.items)}, worth ${money(returned.value)}${returned.refund ? `, refunded ${money(returned.refund.amount)}` : ''}`;
    if (!judged || returned.status === 'refunded' || returned.status === 'rejected')
      return h('li', { text: summary });
    const restock = h('input', { id: `restock-${returned.id}`, type: 'checkbox' });
    const amount = h('input', {
      id: `refund-${returned.id}`,
      type: 'number',
      min: '0',
      step: 'any',
      value: toMajor(returned.value, currency),
      class: 'quantity',
    });
    return h(
      'li',
      { 'data-return': returned.id },
      summary,
      h(
        'p',
        { class: 'form' },
        field(restock.id, 'Restock', restock),
        ...guardedButton('Receive', judged.receive, `receive-${returned.id}`, () =>
          act('POST', path(returned.id, 'receive'), { restock: restock.checked }, 'Return received.'),
        ),
        ...guardedButton('Reject', judged.reject, `reject-${returned.id}`, () =>
          act('POST', path(returned.id, 'reject'), {}, 'Return rejected.'),
        ),
        field(amount.id, `Refund amount (${currency})`, amount),
        ...guardedButton('Refund', judged.refund, `refund-button-${returned.id}`, () =>
          act(
            'POST',
            path(returned.id, 'refund'),
            { amount: toMinor(amount.value, currency) },
            'Return refunded.',
          ),
        ),
      ),
    );
  };
  return h(
    'section',
    { class: 'operation', 'aria-label': 'Returns' },
    h('h4', { text: 'Returns' }),
    order.returns?.length
      ? h('ul', { class: 'returns' }, ...order.returns.map(returnRow))
      : h('p', { text: 'No returns.' }),
    h(
      'p',
      { class: 'form' },
      ...quantities.map(({ input, label }) => field(input.id, label, input)),
      field('return-reason', 'Return reason', reason),
      ...guardedButton('Request return', operations.requestReturn, 'request-return', () =>
        act(
          'POST',
          `/v1/orders/${order.id}/returns`,
          {
            items: chosen(quantities).map((line) => ({
              ...line,
              ...(reason.value ? { reason: reason.value } : {}),
            })),
          },
          'Return requested.',
        ),
      ),
    ),
  );
}
