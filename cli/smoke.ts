/**
 * `npm run smoke -- --stack <name> [--webhook-url <url>]`: checks a deployed Orderflow stack
 * with real AWS credentials (docs/deploy.md; never run in CI). It validates every definition
 * the compiler makes (both built-in default revisions and the examples) with Step Functions'
 * ValidateStateMachineDefinition, then drives one order of the default workflow through the
 * deployed API from creation to shipped, printing each step.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { type CompileTargets, compileWorkflow } from '../shared/workflow/compile.js';
import { defaultWorkflow, legacyDefaultWorkflow } from '../shared/workflow/default-workflow.js';
import { unsupportedTasks } from '../shared/workflow/integrations.js';
import { workflowDocumentSchema } from '../shared/workflow/schema.js';

export interface SmokeClients {
  cloudFormation: CloudFormationClient;
  secrets: SecretsManagerClient;
  sfn: SFNClient;
  log: (line: string) => void;
}

export interface SmokeOptions {
  stack: string;
  /** Receives the test tenant's webhooks (every event type). */
  webhookUrl?: string;
  /** Where the example workflow documents are. */
  examplesDir?: URL;
  /** How long to wait for the confirmed stage's actions. */
  actionsTimeoutMs?: number;
}

/** The stack outputs the smoke test reads (infra/orderflow-stack.ts). */
export const SMOKE_OUTPUTS = [
  'ApiUrl',
  'AdminKeySecretName',
  'TableName',
  'WorkflowTaskFunctionArn',
] as const;

const SMOKE_ORDER = {
  currency: 'GBP',
  customer: { name: 'Smoke Test', email: 'smoke@example.com' },
  items: [{ sku: 'SMOKE-1', name: 'Smoke test item', quantity: 2, unitPrice: 100 }],
};

export async function stackOutputs(
  client: CloudFormationClient,
  stack: string,
): Promise<Record<(typeof SMOKE_OUTPUTS)[number], string>> {
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const missing = SMOKE_OUTPUTS.filter((name) => !outputs[name]);
  if (missing.length)
    throw new Error(`Stack ${stack} has no output ${missing.join(', ')}; deploy this version.`);
  return outputs as Record<(typeof SMOKE_OUTPUTS)[number], string>;
}

/** Every definition the compiler makes for the stack: each built-in default revision's and each example's. */
export function definitionsToValidate(targets: CompileTargets, examplesDir: URL): [string, string][] {
  const examples = readdirSync(examplesDir)
    .filter((file) => file.endsWith('.workflow.json'))
    .sort()
    .map((file): [string, unknown] => [file, JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'))]);
  return [
    ['default workflow', defaultWorkflow] as [string, unknown],
    ['first default workflow (orders pinned to it)', legacyDefaultWorkflow] as [string, unknown],
    ...examples.map(([file, document]): [string, unknown] => [file, workflowDocumentSchema.parse(document)]),
  ].map(([name, workflow]) => [
    name,
    JSON.stringify(compileWorkflow(workflow as Parameters<typeof compileWorkflow>[0], targets)),
  ]);
}

export async function runSmoke(clients: SmokeClients, options: SmokeOptions): Promise<{ orderId: string }> {
  const { log } = clients;
  const outputs = await stackOutputs(clients.cloudFormation, options.stack);
  const targets = { tableName: outputs.TableName, taskFunctionArn: outputs.WorkflowTaskFunctionArn };

  let invalid = 0;
  for (const [name, definition] of definitionsToValidate(
    targets,
    options.examplesDir ?? new URL('../examples/', import.meta.url),
  )) {
    const local = unsupportedTasks(JSON.parse(definition));
    const { result, diagnostics = [] } = await clients.sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition, type: 'STANDARD', severity: 'WARNING' }),
    );
    const findings = [
      ...local,
      ...diagnostics.map((d) => `${d.severity} ${d.code} ${d.location ?? ''}: ${d.message}`),
    ];
    log(`validate ${name}: ${result}${findings.length ? `\n  ${findings.join('\n  ')}` : ''}`);
    if (result !== 'OK' || local.length) invalid++;
  }
  if (invalid) throw new Error(`${invalid} definition(s) failed validation.`);

  const { SecretString: adminKey } = await clients.secrets.send(
    new GetSecretValueCommand({ SecretId: outputs.AdminKeySecretName }),
  );
  if (!adminKey) throw new Error(`Secret ${outputs.AdminKeySecretName} has no value.`);
  const call = apiClient(outputs.ApiUrl.replace(/\/$/, ''), log);

  const tenant = await call('create tenant', 'POST', '/v1/admin/tenants', adminKey, {
    name: `Smoke test ${new Date().toISOString()}`,
  });
  const key = tenant.apiKey as string;
  if (options.webhookUrl) {
    await call('subscribe webhook', 'POST', '/v1/webhooks', key, { url: options.webhookUrl, events: ['*'] });
  }
  await call('stock SMOKE-1', 'PUT', '/v1/inventory/SMOKE-1', key, { onHand: 10 });
  const order = await call('create order', 'POST', '/v1/orders', key, SMOKE_ORDER);
  const orderId = order.id as string;
  const move = (to: string, extra: Record<string, unknown> = {}) =>
    call(`transition to ${to}`, 'POST', `/v1/orders/${orderId}/transitions`, key, { to, ...extra });
  await move('submitted');
  await move('confirmed');
  const deadline = Date.now() + (options.actionsTimeoutMs ?? 60_000);
  for (;;) {
    const current = await call('read order', 'GET', `/v1/orders/${orderId}`, key);
    const { state } = current.actions as { state: string };
    if (state === 'succeeded') break;
    if (state === 'failed' || Date.now() > deadline)
      throw new Error(`The confirmed stage's actions are ${state}: ${JSON.stringify(current.actions)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await move('completed');
  await move('shipped', { shipment: { carrier: 'SMOKE', trackingNumber: randomUUID() } });
  const events = await call('read history', 'GET', `/v1/orders/${orderId}/events?limit=100`, key);
  log(`order ${orderId}: ${(events.items as { type: string }[]).map((event) => event.type).join(', ')}`);
  return { orderId };
}

function apiClient(baseUrl: string, log: (line: string) => void) {
  return async (
    step: string,
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    log(`${step}: ${method} ${path} → ${response.status}`);
    if (!response.ok) throw new Error(`${step} failed: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, 'webhook-url': { type: 'string' } },
  });
  if (!values.stack) {
    console.error('usage: npm run smoke -- --stack <name> [--webhook-url <https://…>]');
    process.exit(2);
  }
  runSmoke(
    {
      cloudFormation: new CloudFormationClient({}),
      secrets: new SecretsManagerClient({}),
      sfn: new SFNClient({}),
      log: (line) => console.log(line),
    },
    { stack: values.stack, ...(values['webhook-url'] ? { webhookUrl: values['webhook-url'] } : {}) },
  ).then(
    ({ orderId }) => console.log(`smoke test passed: order ${orderId} shipped`),
    (error: unknown) => {
      console.error(`smoke test failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
