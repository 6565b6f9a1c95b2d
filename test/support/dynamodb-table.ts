import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { ensureTable } from '../../shared/adapters/dynamodb/create-table.js';

/** DynamoDB Local with the table created, for the test file; `documents` is set before the tests run. */
export function useDynamoTable(tableName: string): { documents: DynamoDBDocumentClient } {
  const handle = {} as { documents: DynamoDBDocumentClient };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const dynamo = await startDynamoDbLocal({});
    stop = () => dynamo.stop();
    const raw = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(raw, tableName);
    raw.destroy();
    handle.documents = createDocumentClient({ tableName, endpoint: dynamo.endpoint, region: 'local' });
  }, 60_000);
  afterAll(async () => {
    handle.documents?.destroy();
    await stop?.();
  });
  return handle;
}
