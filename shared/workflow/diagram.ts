/**
 * The workflow drawn as a picture: Mermaid text, or SVG rendered by Graphviz (in
 * WebAssembly, so it runs the same in Lambda and locally). Manual transitions are
 * solid, auto ones dashed, timeouts dotted and labelled, action-failure routes red;
 * final stages have a double border and each stage lists its onEnter actions.
 */
import type { Viz } from '@viz-js/viz';
import type { Stage, Workflow } from './schema.js';

type Edge = { from: string; to: string; kind: 'manual' | 'auto' | 'timeout' | 'error'; label?: string };

function edgesOf(stage: Stage): Edge[] {
  const edges: Edge[] = stage.transitions.map((transition) => ({
    from: stage.id,
    to: transition.to,
    kind: transition.auto ? 'auto' : 'manual',
    ...(transition.auto ? { label: transition.when ? 'auto, if condition' : 'auto' } : {}),
  }));
  if (stage.timeout) {
    edges.push({
      from: stage.id,
      to: stage.timeout.to,
      kind: 'timeout',
      label: `after ${stage.timeout.after}`,
    });
  }
  for (const action of stage.onEnter) {
    if ('onError' in action && typeof action.onError === 'object') {
      edges.push({
        from: stage.id,
        to: action.onError.transitionTo,
        kind: 'error',
        label: `${action.id} failed`,
      });
    }
  }
  return edges;
}

export function workflowToMermaid(workflow: Workflow): string {
  const text = (value: string) => `"${value.replaceAll('"', '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const stage of workflow.stages) {
    const label = [stage.label, ...stage.onEnter.map((action) => `• ${action.id}`)].join('<br/>');
    // [[...]] draws the double border of a final stage.
    lines.push(stage.final ? `  ${stage.id}[[${text(label)}]]` : `  ${stage.id}[${text(label)}]`);
  }
  for (const edge of workflow.stages.flatMap(edgesOf)) {
    const arrow = edge.kind === 'manual' ? '-->' : edge.kind === 'error' ? '==>' : '-.->';
    lines.push(`  ${edge.from} ${arrow}${edge.label ? `|${text(edge.label)}|` : ''} ${edge.to}`);
  }
  return `${lines.join('\n')}\n`;
}

export function workflowToDot(workflow: Workflow): string {
  const quote = (value: string) =>
    `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
  const lines = [
    'digraph workflow {',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const stage of workflow.stages) {
    const actions = stage.onEnter.map((action) => `${action.id} (${action.type})`);
    const label = actions.length > 0 ? `${stage.label}\n—\n${actions.join('\n')}` : stage.label;
    const attributes = [`label=${quote(label)}`];
    if (stage.final) attributes.push('peripheries=2');
    if (stage.id === workflow.initialStage) attributes.push('penwidth=2');
    lines.push(`  ${quote(stage.id)} [${attributes.join(', ')}];`);
  }
  const styles = {
    manual: 'solid',
    auto: 'dashed',
    timeout: 'dotted',
    error: 'dashed, color=red, fontcolor=red',
  };
  for (const edge of workflow.stages.flatMap(edgesOf)) {
    const attributes = [`style=${styles[edge.kind]}`, ...(edge.label ? [`label=${quote(edge.label)}`] : [])];
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let viz: Promise<Viz> | undefined;

/** Graphviz layout: heavy for dense graphs, so the API runs it through a `SvgRenderer`. */
export async function dotToSvg(dot: string): Promise<string> {
  // Loaded on first use: parsing Graphviz's WebAssembly stalls the thread that loads it.
  viz ??= import('@viz-js/viz').then(({ instance }) => instance());
  return (await viz).renderString(dot, { format: 'svg' });
}

export async function workflowToSvg(workflow: Workflow): Promise<string> {
  return dotToSvg(workflowToDot(workflow));
}
