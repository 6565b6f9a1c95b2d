import * as z from 'zod';
import type { Mailer } from '../notifications/mailer.js';
import { MailRefusedError } from '../notifications/mailer.js';
import type { NotificationStore } from '../notifications/notification-store.js';
import { renderHtml, renderSubject, renderText, templateValues } from '../notifications/templates.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';

const Params = z.object({ to: z.array(z.string()), subject: z.string(), text: z.string() });

export interface EmailActionDeps {
  notifications: NotificationStore;
  mailer: Mailer;
  /** The label of the stage the order entered, as its pinned workflow version names it. */
  stageLabel(context: ActionContext): Promise<string>;
}

/** The addresses `to` names for this order: addresses as given, the customer's, and each role's. */
async function recipientsOf(deps: EmailActionDeps, context: ActionContext, to: string[]): Promise<string[]> {
  const roles = to.some((entry) => entry.startsWith('role:'))
    ? await deps.notifications.recipients(context.tenantId)
    : {};
  const addresses = to.flatMap((entry) => {
    if (entry === 'customer') return context.order.customer?.email ? [context.order.customer.email] : [];
    if (entry.startsWith('role:')) return roles[entry.slice('role:'.length)] ?? [];
    return [entry];
  });
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The `email` action: sent at most once per (order, stage entry, action id). The send is
 * recorded conditionally before it is made, so a retried Task finds the record and sends
 * nothing. A crash after the record and before the mail service answers leaves the record
 * without a message id: that email is not sent again (it may or may not have gone out).
 * Losing one notification in that rare window is preferred over mailing people twice.
 * A refusal by the mail service is certain not to have sent anything, so the record is
 * released and the action's retry may send it.
 */
export async function sendEmailAction(deps: EmailActionDeps, context: ActionContext): Promise<ActionOutcome> {
  const params = Params.parse(context.action.params);
  const to = await recipientsOf(deps, context, params.to);
  if (to.length === 0) return { result: { sent: false, reason: 'no recipient addresses' } };
  const key = {
    tenantId: context.tenantId,
    orderId: context.order.id,
    entry: context.entry,
    actionId: context.action.id,
  };
  // Everything that can fail before the send fails before the claim, which is then not taken.
  const lookup = templateValues(context.order, { id: context.stage, label: await deps.stageLabel(context) });
  const email = {
    to,
    subject: renderSubject(params.subject, lookup),
    text: renderText(params.text, lookup),
    html: renderHtml(params.text, lookup),
    tags: { tenant: context.tenantId, order: context.order.id, action: context.action.id },
  };
  if (!(await deps.notifications.claimSend(key, context.now.toISOString()))) {
    return { result: { sent: false, reason: 'already sent for this stage entry' } };
  }
  let messageId: string;
  try {
    messageId = await deps.mailer.send(email);
  } catch (error) {
    if (error instanceof MailRefusedError) await deps.notifications.releaseClaim(key);
    throw error;
  }
  await deps.notifications.recordSent(key, messageId);
  return { result: { sent: true, messageId, recipients: to.length } };
}
