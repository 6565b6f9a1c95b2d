/** What `/health` asks of the parts the API cannot answer without. */
export interface DependencyProbe {
  /** Whether the database answers a read now. */
  databaseReachable(): Promise<boolean>;
}
