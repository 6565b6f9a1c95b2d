import './polyfills.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ApiDeps } from '../functions/api/deps.js';
import { createApiHandler } from '../functions/api/handler.js';
import { wireApi } from '../functions/api/wiring.js';
import { createAuthorizer } from '../functions/authorizer/handler.js';
import { wireTasks } from '../functions/workflow-task/wiring.js';
import {
  type CapacityCollector,
  collectCapacity,
  createDocumentClient,
} from '../shared/adapters/dynamodb/client.js';
import { ensureTable } from '../shared/adapters/dynamodb/create-table.js';
import { DynamoOrderStore } from '../shared/adapters/dynamodb/order-store.js';
import { DynamoTenantStore } from '../shared/adapters/dynamodb/tenant-store.js';
import { DynamoWorkflowStore } from '../shared/adapters/dynamodb/workflow-store.js';
import { WorkerSvgRenderer } from '../shared/adapters/node/worker-svg-renderer.js';
import { hashApiKey, newApiKey } from '../shared/auth/api-keys.js';
import { OWNER_ROLE } from '../shared/auth/role.js';
import { OWNER_SCOPES } from '../shared/auth/scopes.js';
import {
  OWED_START_GRACE_MS,
  RESUMABLE_FAILURES,
  resumeIfStranded,
  sweepOwedStarts,
} from '../shared/orders/stranded.js';
import { builtInDefaultWorkflows } from '../shared/workflow/default-workflow.js';
import type { WorkflowService } from '../shared/workflow/service.js';
import { createLocalApiGateway } from './api-gateway.js';
import { BuiltConsoleAssets } from './console-assets.js';
import { type DataFolders, prepareDataFolders } from './data-folders.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { LocalWorkflowEngine } from './engine.js';
import { type LocalFilesAndMail, startLocalFilesAndMail } from './files-and-mail.js';
import { resumeLater, resumeOrders } from './resume.js';
import { type LocalInvocations, startLocalWebhooks } from './webhooks.js';

export const DEMO_TENANT_ID = 'demo';
export const TABLE_NAME = 'orderflow';
/** What compiled workflows name as their task function locally; the engine runs it in process. */
export const LOCAL_TASK_FUNCTION_ARN = 'arn:aws:lambda:local:000000000000:function:orderflow-workflow-task';

export interface StackOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Keep no data folder: everything is gone when the stack stops. */
  inMemory?: boolean;
  dataDir?: string;
  adminKey?: string;
  demoApiKey?: string;
  log?: (line: string) => void;
  /** Lets webhook URLs point at http://127.0.0.1 and localhost (ORDERFLOW_ALLOW_LOCAL_WEBHOOKS=1). */
  allowLocalWebhooks?: boolean;
  /** Comma-separated ISO-8601 durations replacing the default retry schedule (ORDERFLOW_WEBHOOK_RETRY_SCHEDULE). */
  webhookRetrySchedule?: string;
  /** Time allowed per delivery attempt; the contract's 10 s unless a test needs it shorter. */
  webhookTimeoutMs?: number;
  /** Measurement only: every client of the stack (api, tasks, webhooks, engine waits) adds its consumed capacity here. */
  capacity?: CapacityCollector;
  /** Measurement only: the local stand-ins' calls (delivery queue, stream checkpoints), kept apart. */
  localOnlyCapacity?: CapacityCollector;
  /** Measurement only: counts what would be Lambda invocations on AWS. */
  invocations?: LocalInvocations;
  /** Measurement only: task tokens as long as Step Functions' (see LocalEngineOptions). */
  taskTokenLength?: number;
  /** How long after an execution failed for a passing reason its order is resumed (default 5 s). */
  strandedResumeDelayMs?: number;
  /** How often owed starts older than the grace (60 s) are made, as the scheduled sweep does on AWS (default 60 s). */
  owedStartSweepMs?: number;
  /** DynamoDB Local's port (default: a free one); fixed, so `restartDatabase()` comes back where the clients look. */
  dynamoPort?: number;
  /** The local S3 and SES servers' ports (default: free ones). */
  s3Port?: number;
  sesPort?: number;
  /**
   * A DynamoDB Local already starting in these data folders (`npm start` starts Java before it
   * loads the rest of the stack); its options override `inMemory`, `dataDir` and `dynamoPort`.
   */
  dynamo?: DataFolders & { starting: Promise<DynamoDbLocal> };
}

export interface RunningStack {
  url: string;
  port: number;
  adminKey: string;
  /** Set when this start created the demo tenant or was given its key. */
  demoApiKey?: string;
  /** The stack's DynamoDB Local, exposed so tests can take the database away. */
  dynamo: DynamoDbLocal;
  deps: ApiDeps;
  /** Runs every order's compiled workflow; exposed so tests and benchmarks can read its counts. */
  engine: LocalWorkflowEngine;
  /** The local S3 server (attachments) and SES server (sent mail). */
  filesAndMail: LocalFilesAndMail;
  /** Starts DynamoDB Local again on the same port and data folder (after `dynamo.stop()`). */
  restartDatabase(): Promise<void>;
  stop(): Promise<void>;
}

function secret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A secret kept in the data folder, so cursors stay valid across restarts. */
function persistentSecret(dataDir: string | undefined, name: string): string {
  if (!dataDir) return secret();
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = secret();
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

/**
 * Starts the whole local stack: DynamoDB Local, the table from the shared definition, the
 * demo tenant, and the api function behind a local API Gateway.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  const { dataDir, dynamoDir } = options.dynamo ?? prepareDataFolders(options);

  // The servers start side by side: Java's start-up is most of the stack's.
  const [dynamoStart, filesAndMailStart] = await Promise.allSettled([
    options.dynamo?.starting ??
      startDynamoDbLocal({
        dataDir: dynamoDir,
        ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
      }),
    startLocalFilesAndMail({
      dataDir,
      ...(options.s3Port ? { s3Port: options.s3Port } : {}),
      ...(options.sesPort ? { sesPort: options.sesPort } : {}),
    }),
  ]);
  if (dynamoStart.status === 'rejected' || filesAndMailStart.status === 'rejected') {
    if (filesAndMailStart.status === 'fulfilled') await filesAndMailStart.value.stop();
    if (dynamoStart.status === 'fulfilled') await dynamoStart.value.stop();
    throw dynamoStart.status === 'rejected'
      ? dynamoStart.reason
      : (filesAndMailStart as PromiseRejectedResult).reason;
  }
  let dynamo = dynamoStart.value;
  const filesAndMail = filesAndMailStart.value;
  const stoppers: (() => Promise<void>)[] = [() => dynamo.stop(), () => filesAndMail.stop()];
  const stop = async () => {
    for (const stopper of stoppers.reverse()) await stopper();
  };
  try {
    const config = {
      tableName: TABLE_NAME,
      endpoint: dynamo.endpoint,
      region: 'local',
      ...(options.capacity ? { capacity: options.capacity } : {}),
    };
    const rawClient = new DynamoDBClient({
      ...config,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(rawClient, TABLE_NAME);
    rawClient.destroy();

    log(`local S3 at ${filesAndMail.s3.endpoint} (files in ${filesAndMail.s3.directory})`);
    log(`local SES at ${filesAndMail.ses.endpoint} (sent mail listed there)`);

    const documents = createDocumentClient(config);
    const adminKey = options.adminKey ?? secret();
    const allowLocal = options.allowLocalWebhooks === true;
    const actionSigningKey = persistentSecret(dataDir, 'action-signing.key');
    const tasks = wireTasks({
      ...config,
      actionSigningKey,
      allowLocalUrls: allowLocal,
      mailer: filesAndMail.mailer,
    });
    const workflowTargets = { tableName: TABLE_NAME, taskFunctionArn: LOCAL_TASK_FUNCTION_ARN };
    const engineClient = new DynamoDBClient({
      ...config,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    if (options.capacity) collectCapacity(engineClient, options.capacity);
    const invocations = options.invocations;
    const runTask = async (payload: Parameters<typeof tasks.handle>[0]) => {
      if (!invocations) return tasks.handle(payload);
      const started = performance.now();
      invocations.tasks++;
      try {
        return await tasks.handle(payload);
      } finally {
        invocations.taskMs += performance.now() - started;
      }
    };
    let workflows: WorkflowService | undefined;
    const strandedDeps = () => ({
      store: new DynamoOrderStore(documents, TABLE_NAME),
      workflows: new DynamoWorkflowStore(documents, TABLE_NAME, builtInDefaultWorkflows),
      engine,
    });
    // As the stranded-orders function does on AWS when an execution fails: resume the order a
    // little later (its store may be back by then), unless it moved on or has a live execution.
    const strandedResumes = resumeLater(options.strandedResumeDelayMs ?? 5000, ({ tenantId, orderId }) =>
      resumeIfStranded(strandedDeps(), tenantId, orderId).then((outcome) =>
        log(`order ${orderId}: ${outcome}`),
      ),
    );
    stoppers.push(async () => strandedResumes.cancel());
    // As the scheduled sweep does on AWS: make the starts a failed or interrupted start left owed.
    const owedStartSweep = setInterval(() => {
      sweepOwedStarts(strandedDeps(), new Date(), OWED_START_GRACE_MS)
        .then(({ started, failed }) => {
          if (started || failed) log(`owed starts: ${started} made, ${failed} failed`);
        })
        .catch(() => undefined);
    }, options.owedStartSweepMs ?? 60_000);
    owedStartSweep.unref();
    stoppers.push(async () => clearInterval(owedStartSweep));
    const engine = new LocalWorkflowEngine({
      dynamo: engineClient,
      runTask,
      definitionOf: (tenantId, version, revision) =>
        (workflows as WorkflowService).definition(tenantId, version, revision),
      onExecutionFailed: (name, error, failed) => {
        log(`execution ${name} failed: ${(error as Error).message}`);
        if (RESUMABLE_FAILURES.includes(failed.errorName)) strandedResumes.schedule(failed);
      },
      ...(options.taskTokenLength ? { taskTokenLength: options.taskTokenLength } : {}),
    });
    stoppers.push(async () => {
      await engine.shutdown();
      engineClient.destroy();
    });
    const webhooks = await startLocalWebhooks({
      ...config,
      dataDir,
      allowLocal,
      retrySchedule: options.webhookRetrySchedule,
      timeoutMs: options.webhookTimeoutMs,
      log,
      invocations: options.invocations,
      localOnlyCapacity: options.localOnlyCapacity,
      signals: engine,
    });
    stoppers.push(() => webhooks.stop());
    const deps = wireApi({
      ...config,
      engine,
      workflowTargets,
      allowLocalUrls: allowLocal,
      consoleAssets: new BuiltConsoleAssets(),
      adminKeyHash: hashApiKey(adminKey),
      cursorSecret: persistentSecret(dataDir, 'cursor.key'),
      webhooks: { secretBox: webhooks.secretBox, queue: webhooks.queue, allowLocal },
      // Kept with the data, so the secrets tenants verify http actions with survive a restart.
      actionSigningKey,
      svgRenderer: new WorkerSvgRenderer(),
      attachmentStorage: filesAndMail.attachmentStorage,
    });
    workflows = deps.workflows;
    const demoApiKey = await ensureDemoTenant(
      deps,
      new DynamoTenantStore(documents, TABLE_NAME),
      options.demoApiKey,
    );

    const resumed = await resumeOrders(new DynamoOrderStore(documents, TABLE_NAME), deps.workflows, engine);
    if (resumed) log(`resumed ${resumed} order execution(s)`);

    const server = createLocalApiGateway(createApiHandler(deps), createAuthorizer(deps.authenticator));
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
    });
    stoppers.push(
      () =>
        new Promise<void>((resolvePromise) => {
          server.close(() => resolvePromise());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    log(`DynamoDB Local at ${dynamo.endpoint}${dynamoDir ? ` (data in ${dynamoDir})` : ' (in memory)'}`);
    const running: RunningStack = {
      url: `http://127.0.0.1:${port}`,
      port,
      adminKey,
      demoApiKey,
      dynamo,
      deps,
      engine,
      filesAndMail,
      async restartDatabase() {
        const dynamoPort = dynamo.port;
        await dynamo.stop();
        dynamo = await startDynamoDbLocal({ dataDir: dynamoDir, port: dynamoPort });
        running.dynamo = dynamo;
      },
      stop,
    };
    return running;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The demo tenant's key is its first key: the owner's. */
const OWNER_GRANT = { role: OWNER_ROLE, scopes: [...OWNER_SCOPES] };

/** Creates the demo tenant on first start; a given demo key is made valid on every start. */
async function ensureDemoTenant(
  deps: ApiDeps,
  tenants: DynamoTenantStore,
  demoApiKey: string | undefined,
): Promise<string | undefined> {
  const wanted = demoApiKey ?? `ofk_${secret()}`;
  if (!(await tenants.getTenant(DEMO_TENANT_ID))) {
    const { record } = newApiKey(DEMO_TENANT_ID, OWNER_GRANT, deps.clock());
    await tenants.createTenant(
      { tenantId: DEMO_TENANT_ID, name: 'Demo', createdAt: deps.clock().toISOString() },
      { ...record, hash: hashApiKey(wanted) },
    );
    return wanted;
  }
  if (demoApiKey === undefined) return undefined;
  if (!(await tenants.findKeyByHash(hashApiKey(demoApiKey)))) {
    const { record } = newApiKey(DEMO_TENANT_ID, OWNER_GRANT, deps.clock());
    await tenants.addKey({ ...record, hash: hashApiKey(demoApiKey) });
  }
  return demoApiKey;
}
