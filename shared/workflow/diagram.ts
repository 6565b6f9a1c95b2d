/**
 * The workflow drawn as a picture for the business that runs it: Mermaid text, or Graphviz
 * DOT that diagram-svg.ts (or a layout worker) turns into SVG. Manual
 * transitions are solid and say who may take them and what they need, auto ones dashed
 * with their condition in words, timeouts dotted ("after 14 days"), action-failure routes
 * red; final stages have a double border, each stage lists its onEnter actions and the
 * events it emits, and the picture carries the workflow's name and a legend. Manual, auto
 * and timeout edges leave and enter their boxes on different sides, so they never overlap.
 */
import type { SvgRenderer } from './diagram-renderer.js';
import { ARIMO_WOFF2_BASE64 } from './fonts/arimo.js';
import { durationInWords, guardsInWords } from './in-words.js';
import type { Stage, Workflow } from './schema.js';

type Edge = { from: string; to: string; kind: 'manual' | 'auto' | 'timeout' | 'error'; label?: string };

export interface DiagramOptions {
  /** The currency amounts in conditions are shown in ("total under £500.00"). */
  currency?: string;
}

/**
 * The one font the SVG uses, embedded in it: Arimo has the metrics Graphviz sizes boxes with
 * for Arial and Helvetica, so every label fits its box on any machine, with or without fonts.
 */
const FONT = 'Arimo';

function edgesOf(stage: Stage, options: DiagramOptions = {}): Edge[] {
  const edges: Edge[] = stage.transitions.map((transition) => {
    const words = guardsInWords(transition, options.currency);
    return {
      from: stage.id,
      to: transition.to,
      kind: transition.auto ? 'auto' : 'manual',
      ...(words.length ? { label: words.join('\n') } : {}),
    };
  });
  if (stage.timeout) {
    edges.push({
      from: stage.id,
      to: stage.timeout.to,
      kind: 'timeout',
      label: `after ${durationInWords(stage.timeout.after)}`,
    });
  }
  for (const action of stage.onEnter) {
    if ('onError' in action && typeof action.onError === 'object') {
      edges.push({
        from: stage.id,
        to: action.onError.transitionTo,
        kind: 'error',
        label: `if ${action.id} fails`,
      });
    }
  }
  return edges;
}

export function workflowToMermaid(workflow: Workflow, options: DiagramOptions = {}): string {
  const text = (value: string) => `"${value.replaceAll('"', '#quot;')}"`;
  const lines = ['---', `title: ${text(workflow.name)}`, '---', 'flowchart LR'];
  for (const stage of workflow.stages) {
    const label = [
      stage.label,
      ...stage.onEnter.map((action) => `• ${action.id}`),
      ...stage.emits.map((event) => `emits ${event}`),
    ].join('<br/>');
    // [[...]] draws the double border of a final stage.
    lines.push(stage.final ? `  ${stage.id}[[${text(label)}]]` : `  ${stage.id}[${text(label)}]`);
  }
  for (const edge of workflow.stages.flatMap((stage) => edgesOf(stage, options))) {
    const arrow = edge.kind === 'manual' ? '-->' : edge.kind === 'error' ? '==>' : '-.->';
    const label = edge.label?.replaceAll('\n', '<br/>');
    lines.push(`  ${edge.from} ${arrow}${label ? `|${text(label)}|` : ''} ${edge.to}`);
  }
  return `${lines.join('\n')}\n`;
}

export function workflowToDot(workflow: Workflow, options: DiagramOptions = {}): string {
  const quote = (value: string) =>
    `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
  const lines = [
    'digraph workflow {',
    '  rankdir=LR;',
    `  label=${quote(workflow.name)}; labelloc=t; labeljust=l; fontname="${FONT}"; fontsize=16;`,
    `  node [shape=box, style=rounded, fontname="${FONT}", fontsize=12, margin="0.3,0.12"];`,
    `  edge [fontname="${FONT}", fontsize=10];`,
  ];
  for (const stage of workflow.stages) {
    const actions = stage.onEnter.map((action) => `${action.id} (${action.type})`);
    const emits = stage.emits.map((event) => `emits ${event}`);
    const details = [...actions, ...emits];
    const label = details.length > 0 ? `${stage.label}\n—\n${details.join('\n')}` : stage.label;
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
  // Each kind of edge has its own sides of the boxes, so a manual and an auto transition
  // between the same two stages are two separate lines.
  const ports = {
    manual: 'tailport=e, headport=w',
    auto: 'tailport=s, headport=s',
    timeout: 'tailport=n, headport=n',
    error: 'tailport=s, headport=n',
  };
  for (const edge of workflow.stages.flatMap((stage) => edgesOf(stage, options))) {
    const attributes = [
      `style=${styles[edge.kind]}`,
      ports[edge.kind],
      ...(edge.label ? [`label=${quote(edge.label)}`] : []),
    ];
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push(
    '  subgraph cluster_legend {',
    '    label="Legend"; fontsize=11; style=rounded; color=gray;',
    '    node [shape=plaintext, fontsize=10, label=""];',
    '    legend_a -> legend_b [style=solid, label="manual: by a person"];',
    '    legend_c -> legend_d [style=dashed, label="automatic"];',
    '    legend_e -> legend_f [style=dotted, label="stage timeout"];',
    '    legend_g -> legend_h [style=dashed, color=red, fontcolor=red, label="an action failed"];',
    '  }',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

/** The laid-out SVG with its font inside, so it draws the same wherever it is shown. */
export function withEmbeddedFont(svg: string): string {
  const style = `<style>@font-face{font-family:"${FONT}";src:url(data:font/woff2;base64,${ARIMO_WOFF2_BASE64}) format("woff2")}</style>`;
  return svg.replace(/<svg\b[^>]*>/, (open) => `${open}\n${style}`);
}

/**
 * The workflow as SVG with its font inside, laid out by `renderer`: the API bounds the layout
 * (diagram-renderer.ts); in process, Graphviz itself (`graphvizInProcess`, diagram-svg.ts).
 */
export async function workflowToSvg(
  workflow: Workflow,
  options: DiagramOptions,
  renderer: SvgRenderer,
): Promise<string> {
  return withEmbeddedFont(await renderer.render(workflowToDot(workflow, options)));
}
