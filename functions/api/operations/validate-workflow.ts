import type { Operation } from './index.js';

export const validateWorkflow: Operation<'validateWorkflow'> = async ({ body }, { workflows }) => {
  const { valid, errors, warnings } = workflows.validate(body);
  return { statusCode: 200, body: { valid, errors, warnings } };
};
