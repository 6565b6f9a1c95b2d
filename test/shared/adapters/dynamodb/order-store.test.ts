import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoOrderStore } from '../../../../shared/adapters/dynamodb/order-store.js';
import { keys, orderAttributes } from '../../../../shared/table.js';
import { describeOrderStoreContract } from '../../../support/contracts/order-store.js';
import { useDynamoTable } from '../../../support/dynamodb-table.js';

const tableName = 'order-store-contract';
const table = useDynamoTable(tableName);

describeOrderStoreContract('DynamoOrderStore', () => ({
  store: new DynamoOrderStore(table.documents, tableName),
  // The compiled wait state's UpdateItem (shared/workflow/compile.ts), without the version check.
  park: async (tenantId, orderId, stage, token) => {
    await table.documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.order(tenantId, orderId),
        UpdateExpression: 'SET #token = :token, #tokenStage = :stage REMOVE #pending',
        ConditionExpression: '#stage = :stage',
        ExpressionAttributeNames: {
          '#token': orderAttributes.taskToken,
          '#tokenStage': orderAttributes.taskTokenStage,
          '#pending': orderAttributes.pendingSignal,
          '#stage': orderAttributes.stage,
        },
        ExpressionAttributeValues: { ':token': token, ':stage': stage },
      }),
    );
  },
}));
