import * as z from 'zod';
import { HTTP_ACTION_EVENT_TYPE, HTTP_UNDO_EVENT_TYPE } from '../events/catalog.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';
import type { Order } from '../orders/schema.js';
import { deliverOnce } from '../webhooks/deliver.js';
import type { HostLookup } from '../webhooks/url-safety.js';
import type { ActionSigningSecrets } from './signing.js';

/** The largest response body stored as the action's result. */
export const MAX_RESULT_BYTES = 32 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 10;

const Params = z.object({
  url: z.string(),
  timeoutSeconds: z.number().optional(),
  undo: z.object({ url: z.string(), timeoutSeconds: z.number().optional() }).optional(),
});

export interface HttpActionOptions {
  signing: ActionSigningSecrets;
  /** Lets URLs point at http://127.0.0.1 (the local stack's switch for webhooks and http actions). */
  allowLocal: boolean;
  lookup?: HostLookup;
}

/** Why an `http` action failed; thrown, so the stage's retry and onError decide what follows. */
export class HttpActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpActionError';
  }
}

/**
 * Stable per (order, stage entry, action id): every retry carries the same `webhook-id`,
 * so the receiver can recognise a repeat and not act twice.
 */
export function httpActionRequestId({
  order,
  entry,
  action,
}: Pick<ActionContext, 'order' | 'entry' | 'action'>) {
  return `act_${order.id}_${entry}_${action.id}`;
}

/**
 * POSTs the order to the tenant's URL, with the same SSRF rules, address pinning and
 * no-redirect policy as webhook deliveries, signed with the tenant's action secret.
 * A 2xx answer whose body is a JSON object of at most 32 KiB becomes the action's result;
 * anything else (another status, a timeout, an unsafe URL, a body that is not a JSON object
 * or is too large) is thrown.
 */
export async function callHttpAction(
  options: HttpActionOptions,
  context: ActionContext,
): Promise<ActionOutcome> {
  const { url, timeoutSeconds = DEFAULT_TIMEOUT_SECONDS, undo } = Params.parse(context.action.params);
  const id = httpActionRequestId(context);
  const body = JSON.stringify({
    id,
    type: HTTP_ACTION_EVENT_TYPE,
    tenantId: context.tenantId,
    timestamp: context.now.toISOString(),
    data: { order: context.order, stage: context.stage, action: { id: context.action.id, type: 'http' } },
  });
  const sent = await signedPost(options, context, { url, id, body, timeoutSeconds });
  // Committed with the action's success, so a later compensate knows exactly what to undo.
  const apply = undo
    ? (order: Order): Order => ({
        ...order,
        pendingUndo: [
          ...(order.pendingUndo ?? []),
          {
            actionId: context.action.id,
            stage: context.stage,
            entry: context.entry,
            url: undo.url,
            ...(undo.timeoutSeconds ? { timeoutSeconds: undo.timeoutSeconds } : {}),
          },
        ],
      })
    : undefined;
  if (sent.responseBodyTruncated) {
    throw new HttpActionError(`POST ${url}: the response body is larger than ${MAX_RESULT_BYTES} bytes`);
  }
  // A receiver with nothing to say (204, or an empty 200) has succeeded; there is just no result.
  if (sent.responseBody.trim() === '') return apply ? { apply } : {};
  return { result: parseResult(url, sent.responseBody), ...(apply ? { apply } : {}) };
}

/** One signed POST under the webhook rules (SSRF guard, pinning, no redirects); throws unless 2xx. */
async function signedPost(
  options: HttpActionOptions,
  context: Pick<ActionContext, 'tenantId' | 'now'>,
  request: { url: string; id: string; body: string; timeoutSeconds: number },
) {
  const sent = await deliverOnce({
    url: request.url,
    secret: options.signing.secretFor(context.tenantId),
    eventId: request.id,
    body: request.body,
    allowLocal: options.allowLocal,
    lookup: options.lookup,
    timeoutMs: request.timeoutSeconds * 1000,
    now: context.now,
    responseBodyLimitBytes: MAX_RESULT_BYTES,
  });
  if (sent.outcome !== 'delivered') {
    const answer = sent.statusCode === undefined ? '' : ` answered ${sent.statusCode}`;
    throw new HttpActionError(`POST ${request.url}${answer}${sent.error ? `: ${sent.error}` : ''}`);
  }
  return sent;
}

type PendingUndo = NonNullable<Order['pendingUndo']>[number];

/**
 * POSTs a signed undo request (HTTP_UNDO_EVENT_TYPE) to an `http` action's `undo.url`. Its id is stable per
 * (order, entry, action), so a receiver recognises a repeat after a retry.
 */
export async function callHttpUndo(
  options: HttpActionOptions,
  context: Pick<ActionContext, 'tenantId' | 'now' | 'order'>,
  undo: PendingUndo,
): Promise<void> {
  const id = `undo_${context.order.id}_${undo.entry}_${undo.actionId}`;
  const body = JSON.stringify({
    id,
    type: HTTP_UNDO_EVENT_TYPE,
    tenantId: context.tenantId,
    timestamp: context.now.toISOString(),
    data: {
      order: context.order,
      stage: undo.stage,
      action: { id: undo.actionId, type: 'http', entry: undo.entry },
    },
  });
  await signedPost(options, context, {
    url: undo.url,
    id,
    body,
    timeoutSeconds: undo.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  });
}

function parseResult(url: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpActionError(`POST ${url}: the response body is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpActionError(`POST ${url}: the response body is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
