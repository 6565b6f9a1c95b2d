/** A small valid workflow whose auto transition compares the grand total with `value`. */
export function validWorkflow(value: number) {
  return {
    format: 'orderflow.workflow/v1',
    name: 'Threshold',
    initialStage: 'open',
    stages: [
      {
        id: 'open',
        label: 'Open',
        transitions: [
          { to: 'big', auto: true, when: { field: 'totals.grand', op: 'gt', value } },
          { to: 'done' },
        ],
      },
      { id: 'big', label: 'Big', transitions: [{ to: 'done' }] },
      { id: 'done', label: 'Done', final: true },
    ],
  };
}
