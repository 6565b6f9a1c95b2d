import type { Operation } from './index.js';

export const publishWorkflow: Operation<'publishWorkflow'> = async ({ principal, body }, { workflows }) => {
  const published = await workflows.publish(principal, body);
  return {
    statusCode: 201,
    headers: {
      location: `/v1/workflow/versions/${published.version}`,
      'workflow-version': String(published.version),
    },
    body: published,
  };
};
