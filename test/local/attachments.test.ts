import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder, useStack } from '../support/stack.js';

const api = useStack();
const spec = Buffer.from('%PDF-1.7\nthe spec of the business cards\n%%EOF\n');
let other: { apiKey: string; tenantId: string };

const createOrder = async (key = api.key) =>
  (await api.call('/v1/orders', { method: 'POST', key, body: sampleOrder })).body.id as string;

const declare = (orderId: string, body: Record<string, unknown> = {}, key = api.key) =>
  api.call(`/v1/orders/${orderId}/attachments`, {
    method: 'POST',
    key,
    body: { name: 'cards.pdf', kind: 'spec', contentType: 'application/pdf', size: spec.length, ...body },
  });

const upload = (url: string, body: Buffer, contentType: string) =>
  fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });

const list = async (orderId: string, key = api.key) =>
  (await api.call(`/v1/orders/${orderId}/attachments`, { key })).body.items as {
    id: string;
    status: string;
  }[];

const content = (orderId: string, attachmentId: string, key = api.key) =>
  fetch(`${api.stack.url}/v1/orders/${orderId}/attachments/${attachmentId}/content`, {
    headers: { authorization: `Bearer ${key}` },
    redirect: 'manual',
  });

beforeAll(async () => {
  other = await api.newTenant('Other shop');
});

describe('a file uploaded with the presigned URL', () => {
  it('is pending until uploaded, then available, and downloads through the 303', async () => {
    const orderId = await createOrder();
    const declared = await declare(orderId);
    expect(declared.status).toBe(201);
    const { attachment, upload: target } = declared.body;
    expect(attachment).toMatchObject({
      name: 'cards.pdf',
      kind: 'spec',
      status: 'pending',
      size: spec.length,
    });
    expect(attachment.id).toMatch(/^att_/);
    expect(target).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'content-length': String(spec.length) },
    });
    expect(new URL(target.url).pathname).toContain(`/tenants/demo/orders/${orderId}/${attachment.id}`);
    expect((await list(orderId))[0]?.status).toBe('pending');
    expect((await content(orderId, attachment.id)).status).toBe(409);

    expect((await upload(target.url, spec, 'application/pdf')).status).toBe(200);

    expect(await list(orderId)).toEqual([
      expect.objectContaining({ id: attachment.id, status: 'available' }),
    ]);
    const redirect = await content(orderId, attachment.id);
    expect(redirect.status).toBe(303);
    const download = await fetch(redirect.headers.get('location') as string);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''cards.pdf");
    expect(Buffer.from(await download.arrayBuffer()).equals(spec)).toBe(true);
  });

  it('is refused by the storage itself when the size or the content type differ from the declared ones', async () => {
    const orderId = await createOrder();
    const { attachment, upload: target } = (await declare(orderId)).body;

    const wrongType = await upload(target.url, spec, 'text/html');
    const wrongSize = await upload(target.url, Buffer.concat([spec, Buffer.from('more')]), 'application/pdf');
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain('<Code>AccessDenied</Code>');
    expect(wrongSize.status).toBe(403);
    expect((await list(orderId))[0]).toMatchObject({ id: attachment.id, status: 'pending' });
  });

  it('keeps the object in the local S3 server folder, under its tenant and order', async () => {
    const orderId = await createOrder();
    const { attachment, upload: target } = (await declare(orderId)).body;
    await upload(target.url, spec, 'application/pdf');
    const { directory, bucket } = api.stack.filesAndMail.s3;
    const orderFolder = join(directory, bucket, 'tenants', 'demo', 'orders', orderId);
    expect(existsSync(orderFolder)).toBe(true);
    expect(readdirSync(orderFolder).some((name) => name.startsWith(attachment.id))).toBe(true);
  });
});

describe("another tenant's attachment", () => {
  it('is a 404 by its id, and its object key cannot be reached with a URL signed for another key', async () => {
    const orderId = await createOrder();
    const { attachment, upload: target } = (await declare(orderId)).body;
    await upload(target.url, spec, 'application/pdf');
    const location = (await content(orderId, attachment.id)).headers.get('location') as string;

    expect((await content(orderId, attachment.id, other.apiKey)).status).toBe(404);
    const theirs = await api.call(`/v1/orders/${orderId}/attachments`, { key: other.apiKey });
    expect(theirs.status).toBe(404);
    const deleted = await api.call(`/v1/orders/${orderId}/attachments/${attachment.id}`, {
      method: 'DELETE',
      key: other.apiKey,
    });
    expect(deleted.status).toBe(404);

    // The other tenant's own download URL, pointed at this tenant's object, opens nothing.
    const otherOrder = await createOrder(other.apiKey);
    const own = (await declare(otherOrder, {}, other.apiKey)).body;
    await upload(own.upload.url, spec, 'application/pdf');
    const ownLocation = (await content(otherOrder, own.attachment.id, other.apiKey)).headers.get(
      'location',
    ) as string;
    const forged = ownLocation.replace(
      `tenants/${other.tenantId}/orders/${otherOrder}/${own.attachment.id}`,
      `tenants/demo/orders/${orderId}/${attachment.id}`,
    );
    expect(forged).not.toBe(ownLocation);
    expect((await fetch(forged)).status).toBe(403);
    // Nor without any signature.
    const unsigned = new URL(location);
    unsigned.search = '';
    expect((await fetch(unsigned)).status).toBe(403);
  });
});

describe('declaring a file', () => {
  it('names every problem of a bad declaration', async () => {
    const orderId = await createOrder();
    const response = await declare(orderId, {
      name: '',
      kind: 'photo',
      contentType: 'PDF',
      size: 26 * 1024 * 1024,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '/contentType',
      '/kind',
      '/name',
      '/size',
    ]);
  });

  it('is a 404 for an unknown order', async () => {
    expect((await declare('ord_00000000000000000000000000')).status).toBe(404);
  });
});

describe('the attachments requirement', () => {
  it('counts an uploaded file once it is available', async () => {
    const published = await api.call('/v1/workflow', {
      method: 'PUT',
      key: other.apiKey,
      body: {
        format: 'orderflow.workflow/v1',
        name: 'Needs a spec',
        initialStage: 'draft',
        stages: [
          { id: 'draft', editable: true, transitions: [{ to: 'ready', requires: ['attachments'] }] },
          { id: 'ready', final: true },
        ],
      },
    });
    expect(published.status).toBe(201);
    const orderId = await createOrder(other.apiKey);
    const move = () =>
      api.call(`/v1/orders/${orderId}/transitions`, {
        method: 'POST',
        key: other.apiKey,
        body: { to: 'ready' },
      });
    const { upload: target } = (await declare(orderId, {}, other.apiKey)).body;

    const before = await move();
    expect(before.status).toBe(422);
    expect(before.body.errors).toEqual([expect.objectContaining({ path: '/requires/attachments' })]);

    await upload(target.url, spec, 'application/pdf');
    const after = await move();
    expect(after.status).toBe(200);
    expect(after.body.stage).toBe('ready');
  });
});

describe('removing a file', () => {
  it('deletes the record and the object while the stage is editable', async () => {
    const orderId = await createOrder();
    const { attachment, upload: target } = (await declare(orderId)).body;
    await upload(target.url, spec, 'application/pdf');
    const location = (await content(orderId, attachment.id)).headers.get('location') as string;
    const removed = await api.call(`/v1/orders/${orderId}/attachments/${attachment.id}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    expect(await list(orderId)).toEqual([]);
    expect((await fetch(location)).status).toBe(404);
  });
});
