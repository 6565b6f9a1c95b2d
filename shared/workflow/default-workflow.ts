/** The workflow of a tenant that uploaded none, verbatim from spec/workflow-format.md. */
import { type Workflow, type WorkflowDocument, workflowDocumentSchema } from './schema.js';

export const defaultWorkflowDocument = {
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
