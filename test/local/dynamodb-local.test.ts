import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DynamoDbLocalError, freePort, startDynamoDbLocal } from '../../local/dynamodb-local.js';

describe('DynamoDB Local', () => {
  it('refuses a port something else already listens on, instead of using that instead', async () => {
    const port = await freePort();
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(DynamoDbLocalError);
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(/already in use/);
    } finally {
      other.close();
    }
  });
});
