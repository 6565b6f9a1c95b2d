import * as z from 'zod';

export const Role = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'Roles: 1–40 lowercase letters, digits, "_" or "-".');

export const CreateTenantRequest = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const CreateTenantResponse = z.object({ tenantId: z.string(), name: z.string(), apiKey: z.string() });
export const IssueKeyRequest = z.strictObject({ role: Role.default('staff').describe('Default: staff.') });
export const IssueKeyResponse = z.object({ keyId: z.string(), apiKey: z.string(), role: Role });
