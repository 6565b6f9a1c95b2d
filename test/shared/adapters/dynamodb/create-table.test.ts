import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTableInput, ensureTable } from '../../../../shared/adapters/dynamodb/create-table.js';
import { tableDefinition } from '../../../../shared/table.js';
import { useDynamoTable } from '../../../support/dynamodb-table.js';

const table = useDynamoTable('orderflow');

describe('ensuring the table', () => {
  it('gives a table kept from before an index was defined the index, and leaves the others', async () => {
    const client = new DynamoDBClient({
      endpoint: table.dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const current = createTableInput('kept');
      const [newest, ...older] = [...(current.GlobalSecondaryIndexes ?? [])].reverse();
      const olderKeys = new Set([
        tableDefinition.partitionKey,
        tableDefinition.sortKey,
        ...older.flatMap((index) => index.KeySchema?.map((key) => key.AttributeName) ?? []),
      ]);
      await client.send(
        new CreateTableCommand({
          ...current,
          GlobalSecondaryIndexes: older,
          AttributeDefinitions: current.AttributeDefinitions?.filter((attribute) =>
            olderKeys.has(attribute.AttributeName),
          ),
        }),
      );
      await ensureTable(client, 'kept');
      await ensureTable(client, 'kept');
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'kept' }));
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
        tableDefinition.globalSecondaryIndexes.map((index) => index.indexName).sort(),
      );
      expect(newest?.IndexName).toBe('owedStarts');
    } finally {
      client.destroy();
    }
  });
});
