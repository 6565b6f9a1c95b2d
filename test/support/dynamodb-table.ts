import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { ensureTable } from '../../shared/adapters/dynamodb/create-table.js';

/**
 * DynamoDB Local with the table created, for the test file (no api, no engine), stopped after
 * it; `documents` and `dynamo` are set before the tests run.
 */
export function useDynamoTable(tableName: string): {
  documents: DynamoDBDocumentClient;
  dynamo: DynamoDbLocal;
} {
  const handle = {} as { documents: DynamoDBDocumentClient; dynamo: DynamoDbLocal };
  beforeAll(async () => {
    handle.dynamo = await startDynamoDbLocal({});
    const raw = new DynamoDBClient({
      endpoint: handle.dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(raw, tableName);
    raw.destroy();
    handle.documents = createDocumentClient({ tableName, endpoint: handle.dynamo.endpoint, region: 'local' });
  }, 60_000);
  afterAll(async () => {
    handle.documents?.destroy();
    await handle.dynamo?.stop();
  });
  return handle;
}
