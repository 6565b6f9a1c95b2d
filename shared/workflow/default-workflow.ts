/** The built-in default workflows (version 0). */
import { type Workflow, type WorkflowDocument, workflowDocumentSchema } from './schema.js';

/**
 * The built-in default, version 0 of every tenant that published none, comes in revisions:
 * orders record the revision they were created under (`workflow.revision`) and keep it until
 * migrated. Revision 1, the original, is what orders stored without a revision run.
 */
export const LEGACY_DEFAULT_REVISION = 1;
export const DEFAULT_REVISION = 2;

/** The workflow of a tenant that uploaded none, verbatim from spec/workflow-format.md. */
export const defaultWorkflowDocument = {
  format: 'orderflow.workflow/v1',
  name: 'Default',
  initialStage: 'preliminary',
  stages: [
    {
      id: 'preliminary',
      label: 'Preliminary',
      editable: true,
      transitions: [
        { to: 'submitted', requires: ['items', 'customer'] },
        { to: 'cancelled', overridesHold: true },
      ],
    },
    {
      id: 'submitted',
      label: 'Submitted',
      editable: true,
      transitions: [
        { to: 'confirmed', requires: ['pricing'] },
        { to: 'preliminary' },
        { to: 'cancelled', overridesHold: true },
      ],
    },
    {
      id: 'confirmed',
      label: 'Confirmed',
      onEnter: [{ type: 'inventory.reserve' }, { type: 'purchase_order.create' }],
      transitions: [{ to: 'completed' }, { to: 'cancelled', overridesHold: true }],
    },
    {
      id: 'completed',
      label: 'Completed',
      shipping: true,
      transitions: [
        { to: 'shipped', auto: true, when: { field: 'allItemsShipped', op: 'eq', value: true } },
        { to: 'shipped', requires: ['shipment'] },
      ],
    },
    { id: 'shipped', label: 'Shipped', final: true, emits: ['order.shipped'] },
    { id: 'cancelled', label: 'Cancelled', final: true, onEnter: [{ type: 'compensate' }] },
  ],
} as const satisfies WorkflowDocument;

/**
 * The original built-in default (revision 1), before holds, shipping and compensation: orders
 * created under it keep running it until they are migrated.
 */
export const legacyDefaultWorkflowDocument = {
  format: 'orderflow.workflow/v1',
  name: 'Default',
  initialStage: 'preliminary',
  stages: [
    {
      id: 'preliminary',
      label: 'Preliminary',
      editable: true,
      transitions: [{ to: 'submitted', requires: ['items', 'customer'] }, { to: 'cancelled' }],
    },
    {
      id: 'submitted',
      label: 'Submitted',
      editable: true,
      transitions: [{ to: 'confirmed', requires: ['pricing'] }, { to: 'preliminary' }, { to: 'cancelled' }],
    },
    {
      id: 'confirmed',
      label: 'Confirmed',
      onEnter: [{ type: 'inventory.reserve' }, { type: 'purchase_order.create' }],
      transitions: [{ to: 'completed' }, { to: 'cancelled' }],
    },
    {
      id: 'completed',
      label: 'Completed',
      transitions: [{ to: 'shipped', requires: ['shipment'] }],
    },
    { id: 'shipped', label: 'Shipped', final: true, emits: ['order.shipped'] },
    { id: 'cancelled', label: 'Cancelled', final: true, onEnter: [{ type: 'inventory.release' }] },
  ],
} as const satisfies WorkflowDocument;

/** The default document with the spec's defaults applied, ready to compile. */
export const defaultWorkflow: Workflow = workflowDocumentSchema.parse(defaultWorkflowDocument);
export const legacyDefaultWorkflow: Workflow = workflowDocumentSchema.parse(legacyDefaultWorkflowDocument);

/** The built-in default's revisions, as workflow sources serve them. */
export const builtInDefaults = { current: DEFAULT_REVISION, of: builtInDefault };
export const builtInDefaultWorkflows = {
  current: DEFAULT_REVISION,
  of: (revision: number) => builtInDefault(revision).workflow,
};

/** The built-in default of a revision (absent: the original, as orders stored before revisions). */
export function builtInDefault(revision: number | undefined): { workflow: Workflow; document: unknown } {
  return revision === DEFAULT_REVISION
    ? { workflow: defaultWorkflow, document: defaultWorkflowDocument }
    : { workflow: legacyDefaultWorkflow, document: legacyDefaultWorkflowDocument };
}
