import * as z from 'zod';
import { newId } from '../ids.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';
import { durationSeconds } from '../workflow/duration.js';
import type { LaborTaskStore } from './labor-task-store.js';

const Params = z.object({
  team: z.string(),
  hoursPerUnit: z.number().optional(),
  fixedHours: z.number().optional(),
  dueIn: z.string().optional(),
});

/** One work task for the team: hoursPerUnit × total item quantity + fixedHours, due dueIn from now. */
export async function scheduleLabor(
  laborTasks: LaborTaskStore,
  { tenantId, order, stage, entry, action, now }: ActionContext,
): Promise<ActionOutcome> {
  const params = Params.parse(action.params);
  const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
  const hours = (params.hoursPerUnit ?? 0) * units + (params.fixedHours ?? 0);
  const task = await laborTasks.createOnce(tenantId, {
    id: newId('task', now.getTime()),
    team: params.team,
    // Rounded to hundredths so fractional rates do not show floating-point noise (0.30000000000000004).
    hours: Math.round(hours * 100) / 100,
    dueAt: params.dueIn ? new Date(now.getTime() + durationSeconds(params.dueIn) * 1000).toISOString() : null,
    orderId: order.id,
    stage,
    entry,
    actionId: action.id,
    createdAt: now.toISOString(),
    status: 'open',
  });
  return { result: { laborTask: { id: task.id, team: task.team, hours: task.hours, dueAt: task.dueAt } } };
}
