import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DataFolders {
  /** Absent: the stack keeps no data. */
  dataDir: string | undefined;
  /** DynamoDB Local's SQLite file lives here. */
  dynamoDir: string | undefined;
}

/** Where the local stack keeps its data (created if missing), or nowhere with `inMemory`. */
export function prepareDataFolders(options: { inMemory?: boolean; dataDir?: string }): DataFolders {
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? '.orderflow-data');
  const dynamoDir = dataDir && join(dataDir, 'dynamodb');
  if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
  return { dataDir, dynamoDir };
}
