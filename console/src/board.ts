import { formatMoney } from '../../shared/money.js';
import type { OrderOperations } from '../../shared/orders/operation-options.js';
import { type ApiResult, call, h, type Problem, problemView } from './api.js';
import {
  type Act,
  guardedButton,
  holdsView,
  type OperatedOrder,
  returnsView,
  shipmentsView,
} from './order-operations.js';
import { SAMPLE_ORDER } from './sample-order.js';

interface Stage {
  id: string;
  label?: string;
  final?: boolean;
}
interface OrderLine {
  sku: string;
  name?: string;
  quantity: number;
  status?: string;
  readyQuantity?: number;
  shippedQuantity?: number;
}
interface Order extends OperatedOrder {
  id: string;
  stage: string;
  version: number;
  customer?: { name?: string; email?: string };
  items: OrderLine[];
  services: { code: string; description?: string; status?: string }[];
  totals: { currency: string; grand: number };
  createdAt: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface TransitionOption {
  to: string;
  label: string;
  allowed: boolean;
  needsShipment: boolean;
  problem?: Problem;
}

const PAGE = 10;

export async function showBoard(root: HTMLElement): Promise<void> {
  const workflow = await call<{ name: string; stages: Stage[] }>('GET', '/v1/workflow');
  if (!workflow.ok) {
    root.append(problemView(workflow.problem));
    return;
  }
  const stages = workflow.body.stages;
  const stageFilter = h(
    'select',
    { id: 'filter-stage' },
    h('option', { value: '', text: 'All stages' }),
    ...stages.map((stage) => h('option', { value: stage.id, text: stage.label ?? stage.id })),
  );
  const emailFilter = h('input', { id: 'filter-email', type: 'email', placeholder: 'ada@example.com' });
  const afterFilter = h('input', { id: 'filter-after', type: 'date' });
  const beforeFilter = h('input', { id: 'filter-before', type: 'date' });
  const filters = h(
    'form',
    { class: 'filters', 'aria-label': 'Filter orders' },
    h('label', { for: 'filter-stage', text: 'Stage' }),
    stageFilter,
    h('label', { for: 'filter-email', text: 'Customer email' }),
    emailFilter,
    h('label', { for: 'filter-after', text: 'Created after' }),
    afterFilter,
    h('label', { for: 'filter-before', text: 'Created before' }),
    beforeFilter,
    h('button', { type: 'submit', text: 'Apply' }),
  );
  const columns = h('div', { class: 'columns' });
  const details = h('section', { class: 'details', 'aria-label': 'Order details', 'aria-live': 'polite' });
  const orderInput = h(
    'textarea',
    { id: 'new-order', rows: 8, cols: 60 },
    JSON.stringify(SAMPLE_ORDER, null, 2),
  );
  const creation = h('div', { 'aria-live': 'polite' });
  const newOrder = h(
    'details',
    { class: 'new-order' },
    h('summary', { text: 'New order' }),
    h(
      'form',
      {
        'aria-label': 'New order',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void createOrder();
        },
      },
      h('label', { for: 'new-order', text: 'Order (JSON, as POST /v1/orders takes it)' }),
      orderInput,
      h('p', {}, h('button', { type: 'submit', text: 'Create order' })),
      creation,
    ),
  );
  root.append(h('h2', { text: `Orders — ${workflow.body.name}` }), newOrder, filters, columns, details);

  async function createOrder(): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(orderInput.value);
    } catch (error) {
      creation.replaceChildren(
        problemView({
          status: 400,
          title: 'Not JSON',
          detail: `The order is not valid JSON: ${(error as Error).message}`,
        }),
      );
      return;
    }
    const created = await call<Order>('POST', '/v1/orders', body);
    if (!created.ok) {
      creation.replaceChildren(problemView(created.problem));
      return;
    }
    creation.replaceChildren();
    await refresh();
    await showOrder(created.body.id, h('p', { class: 'ok', role: 'status', text: 'Order created.' }));
  }

  const query = (stage: string, cursor?: string) => {
    const params = new URLSearchParams({ stage, limit: String(PAGE) });
    if (emailFilter.value) params.set('customerEmail', emailFilter.value);
    if (afterFilter.value) params.set('createdAfter', new Date(afterFilter.value).toISOString());
    if (beforeFilter.value) params.set('createdBefore', new Date(beforeFilter.value).toISOString());
    if (cursor) params.set('cursor', cursor);
    return `/v1/orders?${params}`;
  };

  async function column(stage: Stage): Promise<HTMLElement> {
    const list = h('ul', { class: 'cards' });
    const count = h('span', { class: 'count' });
    const more = h('button', { type: 'button', class: 'more', text: 'More' });
    let shown = 0;
    const load = async (cursor?: string) => {
      const page = await call<Page<Order>>('GET', query(stage.id, cursor));
      if (!page.ok) {
        list.append(h('li', {}, problemView(page.problem)));
        return;
      }
      shown += page.body.items.length;
      count.textContent = page.body.nextCursor ? `${shown}+` : String(shown);
      for (const order of page.body.items) list.append(card(order));
      more.hidden = !page.body.nextCursor;
      more.onclick = () => void load(page.body.nextCursor ?? undefined);
    };
    await load();
    return h(
      'section',
      { class: 'column', 'aria-label': `${stage.label ?? stage.id} orders`, 'data-stage': stage.id },
      h('h3', {}, `${stage.label ?? stage.id} `, count),
      list,
      more,
    );
  }

  function card(order: Order): HTMLElement {
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'card', 'data-order': order.id, onclick: () => void showOrder(order.id) },
        h('span', {
          class: 'customer',
          text: order.customer?.name ?? order.customer?.email ?? 'No customer',
        }),
        h('span', {
          class: 'total',
          text: formatMoney(order.totals.grand, order.totals.currency),
        }),
        h('span', { class: 'id', text: order.id }),
      ),
    );
  }

  async function refresh(): Promise<void> {
    const shown = stageFilter.value ? stages.filter((stage) => stage.id === stageFilter.value) : stages;
    columns.replaceChildren(...(await Promise.all(shown.map(column))));
  }

  async function showOrder(id: string, outcome?: HTMLElement): Promise<void> {
    const [order, options, events] = await Promise.all([
      call<Order>('GET', `/v1/orders/${id}`),
      call<{ items: TransitionOption[]; operations: OrderOperations }>('GET', `/v1/orders/${id}/transitions`),
      call<
        Page<{
          type: string;
          timestamp: string;
          actor?: { role?: string; type: string };
          data: { to?: string; cause?: string };
        }>
      >('GET', `/v1/orders/${id}/events?limit=100`),
    ]);
    if (!order.ok) {
      details.replaceChildren(problemView(order.problem));
      return;
    }
    const o = order.body;
    const shipped = new Map<string, number>();
    for (const shipment of o.shipments)
      for (const item of shipment.items) shipped.set(item.sku, (shipped.get(item.sku) ?? 0) + item.quantity);
    details.replaceChildren(
      h('h3', { text: `Order ${o.id}` }),
      h(
        'p',
        {},
        `Stage `,
        h('strong', { class: 'stage', text: stages.find((s) => s.id === o.stage)?.label ?? o.stage }),
        ` · version ${o.version} · ${o.customer?.name ?? ''} ${o.customer?.email ?? ''} · ${formatMoney(o.totals.grand, o.totals.currency)}`,
      ),
      o.holds?.length
        ? h('p', { class: 'hold', text: `On hold: ${o.holds.map((hold) => hold.reason).join(', ')}` })
        : '',
      outcome ?? '',
      transitionsView(o, options),
      options.ok
        ? h(
            'div',
            { class: 'operations' },
            ...[holdsView, shipmentsView, returnsView].map((view) =>
              view(o, options.body.operations, act(o.id)),
            ),
          )
        : '',
      h(
        'table',
        {},
        h('caption', { text: 'Lines' }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['SKU', 'Name', 'Quantity', 'Status', 'Ready', 'Shipped'].map((t) =>
              h('th', { scope: 'col', text: t }),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...o.items.map((item) =>
            h(
              'tr',
              {},
              ...[
                item.sku,
                item.name ?? '',
                String(item.quantity),
                item.status ?? 'pending',
                `${item.readyQuantity ?? 0} / ${item.quantity}`,
                `${item.shippedQuantity ?? shipped.get(item.sku) ?? 0} / ${item.quantity}`,
              ].map((t) => h('td', { text: t })),
            ),
          ),
          ...o.services.map((service) =>
            h(
              'tr',
              {},
              ...[service.code, service.description ?? '', '—', service.status ?? 'pending', '—', '—'].map(
                (t) => h('td', { text: t }),
              ),
            ),
          ),
        ),
      ),
      h('h4', { text: 'History' }),
      events.ok
        ? h(
            'ol',
            { class: 'history' },
            ...events.body.items.map((event) =>
              h('li', {
                text: `${event.timestamp} ${event.type}${event.data.to ? ` → ${event.data.to} (${event.data.cause})` : ''} by ${event.actor?.role ?? event.actor?.type ?? ''}`,
              }),
            ),
          )
        : problemView(events.problem),
    );
  }

  /** Every call the details make: the board and the order are shown again, with the outcome. */
  function act(orderId: string): Act {
    return async (method, path, body, done) => {
      const answer = await call(method, path, body);
      await refresh();
      await showOrder(
        orderId,
        answer.ok ? h('p', { class: 'ok', role: 'status', text: done }) : problemView(answer.problem),
      );
    };
  }

  function transitionsView(order: Order, options: ApiResult<{ items: TransitionOption[] }>): HTMLElement {
    if (!options.ok) return problemView(options.problem);
    const carrier = h('input', { id: 'shipment-carrier', placeholder: 'UPS' });
    const tracking = h('input', { id: 'shipment-tracking', placeholder: '1Z999' });
    const needsShipment = options.body.items.some((option) => option.needsShipment);
    return h(
      'div',
      { class: 'transitions', role: 'group', 'aria-label': 'Move the order' },
      h('h4', { text: 'Move to' }),
      needsShipment
        ? h(
            'p',
            { class: 'shipment form' },
            h('label', { for: 'shipment-carrier', text: 'Carrier' }),
            carrier,
            h('label', { for: 'shipment-tracking', text: 'Tracking number' }),
            tracking,
          )
        : null,
      ...options.body.items.map((option) =>
        h(
          'p',
          {},
          ...guardedButton(
            option.label,
            option,
            option.to,
            async () => {
              const shipment = option.needsShipment
                ? { carrier: carrier.value || undefined, trackingNumber: tracking.value || undefined }
                : undefined;
              await act(order.id)(
                'POST',
                `/v1/orders/${order.id}/transitions`,
                { to: option.to, ...(shipment ? { shipment } : {}) },
                `Moved to ${option.label}.`,
              );
            },
            { 'data-to': option.to },
          ),
        ),
      ),
      options.body.items.length === 0 ? h('p', { text: 'No manual transitions from this stage.' }) : null,
    );
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    void refresh();
  });
  await refresh();
}
