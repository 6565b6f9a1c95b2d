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

/** What a key can hold: any scope, or `*` for all of them. */
export const ScopeGrant = z.enum([...SCOPES, '*']);
export type ScopeGrant = z.infer<typeof ScopeGrant>;

/** The tenant's first key: everything. */
export const OWNER_SCOPES: readonly ScopeGrant[] = ['*'];
/** A key issued without `scopes`: day-to-day order work, nothing that changes the setup. */
export const DEFAULT_KEY_SCOPES: readonly ScopeGrant[] = [
  'orders:read',
  'orders:write',
  'inventory:read',
  'workflow:read',
];
/** Keys stored before scopes existed could call everything, and keep that. */
export const LEGACY_KEY_SCOPES: readonly ScopeGrant[] = ['*'];

export function holdsScope(held: readonly ScopeGrant[], needed: Scope): boolean {
  return held.includes('*') || held.includes(needed);
}

/** The grants in `wanted` that `held` does not cover (a key can never grant more than it holds). */
export function grantsBeyond(held: readonly ScopeGrant[], wanted: readonly ScopeGrant[]): ScopeGrant[] {
  if (held.includes('*')) return [];
  return wanted.filter((grant) => grant === '*' || !held.includes(grant));
}
