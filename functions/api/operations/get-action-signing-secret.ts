import type { Operation } from './index.js';

export const getActionSigningSecret: Operation<'getActionSigningSecret'> = async (
  { principal },
  { actionSigning },
) => ({ statusCode: 200, body: { secret: actionSigning.secretFor(principal.tenantId) } });
