import { openApiDocument } from '../../../shared/http/openapi.js';
import type { Operation } from './index.js';

let document: Record<string, unknown> | undefined;

export const openapi: Operation<'openapi'> = async () => {
  document ??= openApiDocument();
  return { statusCode: 200, body: document };
};
