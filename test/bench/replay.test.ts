import { describe, expect, it } from 'vitest';
import { requestsPerOrder, retarget } from '../../bench/replay.js';

const ORDER_A = 'ord_01M8TAF77QP37P1BW2V8Q92T8J';
const ORDER_B = 'ord_01M8TAF77QP37P1BW2V8Q92T8K';
const KEY = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const put = (pk: string) => ({
  command: 'PutItemCommand',
  input: { TableName: 'orderflow', Item: { pk: { S: pk } } },
});

describe('the replay of a measured run', () => {
  it('groups requests per order in the order they were sent, with each Idempotency-Key on its order', () => {
    const claim = put(`T#ten#IDEM#${KEY}`);
    const lookup = put('KEY#hash');
    const groups = requestsPerOrder(
      [claim, put(`T#ten#O#${ORDER_A}`), put(`T#ten#O#${ORDER_B}`), lookup, put(`T#ten#O#${ORDER_A}#E#2`)],
      new Map([[KEY, ORDER_B]]),
    );
    // Groups come in the order their orders first appear: the claim names B first.
    expect(groups).toEqual([
      [claim, put(`T#ten#O#${ORDER_B}`), lookup],
      [put(`T#ten#O#${ORDER_A}`), put(`T#ten#O#${ORDER_A}#E#2`)],
    ]);
  });

  it('sends each request to the replay table, in transactions and batches too, leaving the data alone', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: 'orderflow', Item: { TableName: { S: 'orderflow' } } } },
        {
          Update: {
            TableName: 'orderflow',
            Key: { pk: { S: 'a' } },
            ExpressionAttributeValues: { ':t': { S: 'orderflow' } },
          },
        },
      ],
    };
    expect(retarget(input, 'replay')).toEqual({
      TransactItems: [
        { Put: { TableName: 'replay', Item: { TableName: { S: 'orderflow' } } } },
        {
          Update: {
            TableName: 'replay',
            Key: { pk: { S: 'a' } },
            ExpressionAttributeValues: { ':t': { S: 'orderflow' } },
          },
        },
      ],
    });
    expect(retarget({ RequestItems: { orderflow: [{ PutRequest: {} }] } }, 'replay')).toEqual({
      RequestItems: { replay: [{ PutRequest: {} }] },
    });
  });
});
