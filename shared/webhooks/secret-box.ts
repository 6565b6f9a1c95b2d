/** Binds a sealed secret to its subscription: it cannot be moved to another tenant or webhook. */
export interface SecretContext {
  tenantId: string;
  webhookId: string;
}

/** Encrypts signing secrets at rest (KMS on AWS, AES-256-GCM with a local key on one machine). */
export interface SecretBox {
  seal(plaintext: string, context: SecretContext): Promise<string>;
  open(sealed: string, context: SecretContext): Promise<string>;
}
