import * as z from 'zod';
import { DEFAULT_ROLE, Role } from './role.js';
import { DEFAULT_KEY_SCOPES, ScopeGrant } from './scopes.js';

export const CreateTenantRequest = z.strictObject({ name: z.string().trim().min(1).max(100) });

const Scopes = z
  .array(ScopeGrant)
  .min(1)
  .max(ScopeGrant.options.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, 'List each scope once.');

/** Issuing a key, by the admin for a tenant or by a tenant key with `keys:manage` for its own tenant. */
export const IssueKeyRequest = z.strictObject({
  role: Role.default(DEFAULT_ROLE).describe(`Default: ${DEFAULT_ROLE}.`),
  scopes: Scopes.default([...DEFAULT_KEY_SCOPES]).describe(`Default: ${DEFAULT_KEY_SCOPES.join(', ')}.`),
  name: z.string().trim().min(1).max(100).optional().describe('What the key is for, shown in the key list.'),
});
export type IssueKeyRequest = z.output<typeof IssueKeyRequest>;

const IssuedKey = {
  keyId: z.string(),
  apiKey: z.string().describe('Shown once; only its hash is stored.'),
  role: Role,
  scopes: z.array(ScopeGrant),
};
export const IssueKeyResponse = z.object({ ...IssuedKey, name: z.string().optional() });
export const CreateTenantResponse = z.object({ tenantId: z.string(), name: z.string(), ...IssuedKey });

/** A key as listed: never its secret or its hash. */
export const ApiKeySummary = z.object({
  keyId: z.string(),
  name: z.string().optional(),
  role: Role,
  scopes: z.array(ScopeGrant),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().optional().describe('Updated at most once a minute.'),
});
