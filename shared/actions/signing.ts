import { createHmac } from 'node:crypto';
import { webhookSecretPrefix } from '../webhooks/signing.js';

/**
 * Per-tenant secrets that sign `http` action requests (Standard Webhooks). Each is derived
 * from one server key, `whsec_` + base64(HMAC-SHA256(serverKey, tenantId)), so nothing per
 * tenant is stored, every runtime that holds the key derives the same secret, and no tenant
 * can learn another's. Tenants read theirs with GET /v1/actions/signing-secret.
 */
export class ActionSigningSecrets {
  constructor(private readonly serverKey: string) {
    if (serverKey.length < 16) throw new Error('The action signing key must be at least 16 characters.');
  }

  secretFor(tenantId: string): string {
    return `${webhookSecretPrefix}${createHmac('sha256', this.serverKey).update(tenantId).digest('base64')}`;
  }
}
