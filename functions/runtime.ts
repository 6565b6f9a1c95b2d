import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A required environment variable of a deployed function; its absence is a deployment defect. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set.`);
  return value;
}

const secrets = new SecretsManagerClient({});

/** A Secrets Manager secret's string, read once per cold start. */
export async function secretString(arn: string): Promise<string> {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`Secret ${arn} has no string value.`);
  return SecretString;
}
