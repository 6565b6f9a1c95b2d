import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DependencyProbe } from '../../http/health.js';
import { keys } from '../../table.js';

/** How long one answer is reused: `/health` is public, so polling it costs at most one read a second. */
const REUSE_MS = 1_000;
const TIMEOUT_MS = 2_000;

/** One eventually consistent read of a key that is never written: half a read unit. */
export class DynamoDependencyProbe implements DependencyProbe {
  private last?: { at: number; answer: Promise<boolean> };

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  databaseReachable(): Promise<boolean> {
    if (this.last && this.now() - this.last.at < REUSE_MS) return this.last.answer;
    const answer = this.client
      .send(new GetCommand({ TableName: this.tableName, Key: keys.healthProbe }), {
        abortSignal: AbortSignal.timeout(TIMEOUT_MS),
      })
      .then(
        () => true,
        () => false,
      );
    this.last = { at: this.now(), answer };
    return answer;
  }
}
