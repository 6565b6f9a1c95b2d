import * as z from 'zod';
import { customEvent } from '../events/catalog.js';
import type { ActionContext, ActionOutcome } from '../orders/actions.js';

const Params = z.object({ event: z.string() });

/** A custom event in the order's history; webhook fan-out publishes it like any other. */
export function notify({ order, stage, action }: ActionContext): ActionOutcome {
  const { event } = Params.parse(action.params);
  return { events: [customEvent(event, { type: 'system' }, { order, stage })] };
}
