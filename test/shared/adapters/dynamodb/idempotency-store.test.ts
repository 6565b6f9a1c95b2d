import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../../../shared/adapters/dynamodb/idempotency-store.js';

describe('DynamoIdempotencyStore.claim', () => {
  // Found by the lifecycle benchmark: under load the claim's PutItem timed out after it had
  // landed, the SDK retried it, the retry lost its condition to our own claim, and the request
  // waited 10 s for itself before answering 409 "still being processed" for a fresh key.
  it('treats its own claim, written by an attempt the SDK retried, as claimed', async () => {
    const documents = mockClient(DynamoDBDocumentClient);
    documents
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    documents.on(GetCommand).resolves({ Item: { requestHash: 'h', state: 'pending', owner: 'me' } });
    const store = new DynamoIdempotencyStore(documents as unknown as DynamoDBDocumentClient, 'table');
    await expect(store.claim('tenant', 'key', 'h', 'me', new Date())).resolves.toEqual({ claimed: true });
    await expect(store.claim('tenant', 'key', 'h', 'someone-else', new Date())).resolves.toMatchObject({
      claimed: false,
      record: { owner: 'me', state: 'pending' },
    });
    documents.restore();
  });
});
