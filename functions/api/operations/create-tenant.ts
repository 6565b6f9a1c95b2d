import type { Operation } from './index.js';

export const createTenant: Operation<'createTenant'> = async ({ body }, { tenants }) => {
  const tenant = await tenants.createTenant(body.name);
  return { statusCode: 201, headers: { location: `/v1/admin/tenants/${tenant.tenantId}` }, body: tenant };
};
