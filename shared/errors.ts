/** The expected version or stage no longer holds: somebody else changed the item first. */
export class ConflictError extends Error {
  constructor(message = 'The item was changed concurrently.') {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * The error name of a store outage, stable because compiled workflows retry it by name
 * (the task function's errors reach Step Functions as their `name`).
 */
export const STORE_UNAVAILABLE_ERROR = 'Orderflow.StoreUnavailable';

/** The database could not be reached or did not answer in time; the request may be retried. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The data store is unavailable.', { cause });
    this.name = STORE_UNAVAILABLE_ERROR;
  }
}

/** The engine holds as many versions of the tenant's workflow as it allows; deleting unused ones makes room. */
export class VersionLimitError extends Error {
  constructor(message = 'The workflow engine holds as many versions as it allows.') {
    super(message);
    this.name = 'VersionLimitError';
  }
}
