import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALL_EVENT_TYPES,
  catalogEventTypes,
  eventCatalog,
  eventFilterSchema,
  HTTP_ACTION_EVENT_TYPE,
  HTTP_UNDO_EVENT_TYPE,
} from '../../../shared/events/catalog.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import { CreateWebhookRequest } from '../../../shared/webhooks/schema.js';
import { actionSchema } from '../../../shared/workflow/schema.js';

const root = join(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Action types share the `area.verb` form with event types; they are not events. */
const actionTypes = new Set(actionSchema.options.map((option) => option.shape.type.value as string));

describe('the event catalog', () => {
  it('holds every event type the source code names', () => {
    const namespaced = /['"`]((?:order|return|purchase_order|webhook)\.[a-z_]+)['"`]/g;
    const unknown = ['shared', 'functions', 'local', 'infra'].flatMap(sourceFiles).flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(namespaced)]
        .map(([, type]) => type as string)
        .filter(
          (type) =>
            !(type in eventCatalog) &&
            !actionTypes.has(type) &&
            type !== HTTP_ACTION_EVENT_TYPE &&
            type !== HTTP_UNDO_EVENT_TYPE,
        )
        .map((type) => `${file}: ${type}`),
    );
    expect(unknown).toEqual([]);
  });

  it('is the table of docs/webhooks.md, row for row', () => {
    const docs = readFileSync(join(root, 'docs/webhooks.md'), 'utf8');
    const rows = [...docs.matchAll(/^\| `([a-z_.]+)` +\| (.+?) +\| /gm)].map(([, type, when]) => ({
      type,
      when,
    }));
    expect(rows).toEqual(catalogEventTypes.map((type) => ({ type, when: eventCatalog[type].when })));
  });

  it('lets a subscription name every catalog type, a custom type or *, and nothing else', () => {
    for (const filter of [ALL_EVENT_TYPES, ...catalogEventTypes, 'order.ready_for_pickup']) {
      expect(eventFilterSchema.safeParse(filter).success).toBe(true);
    }
    for (const filter of ['', 'Order.Shipped', 'order.*', '**', 'ab', `o${'x'.repeat(64)}`]) {
      expect(eventFilterSchema.safeParse(filter).success).toBe(false);
    }
    const request = { url: 'https://hooks.example.com/', events: catalogEventTypes };
    expect(CreateWebhookRequest.safeParse(request).success).toBe(true);
  });

  it('describes each type as a webhook of the OpenAPI document, with its data', () => {
    const webhooks = openApiDocument().webhooks as Record<string, { post: { requestBody: unknown } }>;
    expect(Object.keys(webhooks)).toEqual(catalogEventTypes);
    const created = JSON.stringify(webhooks['order.shipped']?.post.requestBody);
    expect(created).toContain('"shipment"');
    expect(created).toContain('"order"');
  });
});
