import * as z from 'zod';

/** Roles are names given to API keys and checked by workflow transitions' `roles`: one rule for both. */
export const ROLE_PATTERN = /^[a-z][a-z0-9_.-]{0,39}$/;

export const Role = z.string().regex(ROLE_PATTERN, {
  error: 'Roles: 1–40 lowercase letters, digits, ".", "_" or "-", starting with a letter.',
});

/** The role of the key created with a tenant. */
export const OWNER_ROLE = 'owner';
/** The role of keys issued without one. */
export const DEFAULT_ROLE = 'staff';
