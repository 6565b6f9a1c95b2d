import * as z from 'zod';

/** What a key may call at all (api.md, "Permissions"); each route in the route table names the one it needs. */
export const SCOPES = [
  'orders:read',
  'orders:write',
  'orders:approve',
  'inventory:read',
  'inventory:write',
  'workflow:read',
  'workflow:write',
  'webhooks:manage',
  'notifications:manage',
  'keys:manage',
] as const;

export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;
