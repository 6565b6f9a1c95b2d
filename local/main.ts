import { prepareDataFolders } from './data-folders.js';
import { startDynamoDbLocal } from './dynamodb-local.js';

/** `npm start`: the local stack in the foreground until Ctrl-C or SIGTERM. */
async function main(): Promise<void> {
  const started = Date.now();
  const args = new Set(process.argv.slice(2));
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number, not "${process.env.PORT}".`);
  }
  // Java boots while the rest of the stack loads.
  const folders = prepareDataFolders({
    inMemory: args.has('--in-memory'),
    ...(process.env.ORDERFLOW_DATA_DIR ? { dataDir: process.env.ORDERFLOW_DATA_DIR } : {}),
  });
  const starting = startDynamoDbLocal({ dataDir: folders.dynamoDir });
  const loading = import('./stack.js');
  const [dynamoStart, stackModule] = await Promise.allSettled([starting, loading]);
  if (stackModule.status === 'rejected') {
    if (dynamoStart.status === 'fulfilled') await dynamoStart.value.stop();
    throw stackModule.reason;
  }
  const stack = await stackModule.value.startStack({
    port,
    dynamo: { ...folders, starting },
    adminKey: process.env.ORDERFLOW_ADMIN_KEY || undefined,
    demoApiKey: process.env.ORDERFLOW_DEMO_API_KEY || undefined,
    log: (line) => console.log(line),
    allowLocalWebhooks: process.env.ORDERFLOW_ALLOW_LOCAL_WEBHOOKS === '1',
    webhookRetrySchedule: process.env.ORDERFLOW_WEBHOOK_RETRY_SCHEDULE || undefined,
  });
  if (!process.env.ORDERFLOW_ADMIN_KEY) console.log(`admin key (ORDERFLOW_ADMIN_KEY): ${stack.adminKey}`);
  if (stack.demoApiKey && !process.env.ORDERFLOW_DEMO_API_KEY) {
    console.log(`demo tenant key (ORDERFLOW_DEMO_API_KEY): ${stack.demoApiKey}`);
  } else if (!stack.demoApiKey) {
    console.log('demo tenant: key as printed on first start (or set ORDERFLOW_DEMO_API_KEY)');
  }
  console.log(`started in ${Date.now() - started} ms`);
  console.log(`orderflow listening on ${stack.url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // `npm start` execs this process in place of its shell, so npm's signals reach it; should
  // npm itself be killed outright, this process (now init's child) stops as well.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent exited');
  }, 250).unref();
}

main().catch((error: unknown) => {
  console.error(`orderflow failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
