import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { call, h, type Problem, problemView } from './api.js';
import { offsetOfPointer, pathAtCursor } from './json-positions.js';
import { lineDiff } from './line-diff.js';
import { SAMPLE_ORDER } from './sample-order.js';

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, Schema>;
  description?: string;
};
type Issue = { path: string; message: string };

/** The schema nodes a path leads to, through $ref, oneOf and anyOf. */
function nodesAt(root: Schema, path: (string | number)[]): Schema[] {
  const expand = (node: Schema): Schema[] => {
    if (node.$ref) return expand(root.$defs?.[node.$ref.replace('#/$defs/', '')] ?? {});
    const options = [...(node.oneOf ?? []), ...(node.anyOf ?? [])];
    return [node, ...options.flatMap(expand)];
  };
  let nodes = expand(root);
  for (const part of path) {
    nodes = nodes.flatMap((node) => {
      if (typeof part === 'number') return node.items ? expand(node.items) : [];
      const property = node.properties?.[part];
      return property ? expand(property) : [];
    });
  }
  return nodes;
}

export function schemaCompletion(schema: Schema) {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/"?[\w.$-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = context.state.doc.toString();
    const { path, inKey } = pathAtCursor(text, word.from);
    const nodes = nodesAt(schema, inKey ? path : path);
    const options = inKey
      ? nodes.flatMap((node) =>
          Object.entries(node.properties ?? {}).map(([key, value]) => ({
            label: `"${key}"`,
            type: 'property',
            ...(value.description ? { info: value.description } : {}),
          })),
        )
      : nodes
          .flatMap((node) => [...(node.enum ?? []), ...(node.const !== undefined ? [node.const] : [])])
          .map((value) => ({
            label: JSON.stringify(value),
            type: 'constant',
          }));
    const unique = [...new Map(options.map((option) => [option.label, option])).values()];
    return unique.length ? { from: word.from, options: unique } : null;
  };
}

export async function showStudio(root: HTMLElement): Promise<void> {
  const [active, schemaResponse] = await Promise.all([
    call<unknown>('GET', '/v1/workflow'),
    fetch('/schemas/workflow-v1.json').then((response) => response.json() as Promise<Schema>),
  ]);
  if (!active.ok) {
    root.append(problemView(active.problem));
    return;
  }
  const activeText = JSON.stringify(active.body, null, 2);
  const activeVersion = active.headers.get('workflow-version');
  const errorList = h('ul', { class: 'errors', 'aria-label': 'Validation errors', 'aria-live': 'polite' });
  const status = h('p', { class: 'status', role: 'status' });
  const diagram = h('img', { class: 'diagram', alt: 'The workflow diagram' });
  // A workflow is wide: the side column shows it whole but small, this shows it at full size.
  const enlarge = h('button', {
    type: 'button',
    class: 'enlarge',
    'aria-pressed': 'false',
    text: 'Enlarge diagram',
  });
  const setEnlarged = (on: boolean) => {
    diagram.classList.toggle('enlarged', on);
    enlarge.setAttribute('aria-pressed', String(on));
    enlarge.textContent = on ? 'Close diagram' : 'Enlarge diagram';
  };
  enlarge.addEventListener('click', () => setEnlarged(!diagram.classList.contains('enlarged')));
  diagram.addEventListener('click', () => setEnlarged(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setEnlarged(false);
  });
  const output = h('div', { class: 'output', 'aria-live': 'polite' });
  const publishButton = h('button', { type: 'button', text: 'Publish' });
  const publishReason = h('span', { id: 'publish-reason', class: 'reason' });

  const view = new EditorView({
    doc: activeText,
    extensions: [
      lineNumbers(),
      history(),
      bracketMatching(),
      highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      json(),
      autocompletion({ override: [schemaCompletion(schemaResponse)] }),
      lintGutter(),
      linter(lint, { delay: 400 }),
      EditorView.contentAttributes.of({ 'aria-label': 'Workflow document' }),
    ],
  });

  function documentOrProblem(): { document?: unknown; problem?: Diagnostic } {
    const text = view.state.doc.toString();
    try {
      return { document: JSON.parse(text) };
    } catch (error) {
      const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
      return {
        problem: {
          from: Math.min(position, text.length),
          to: Math.min(position + 1, text.length),
          severity: 'error',
          message: `Not JSON: ${(error as Error).message}`,
        },
      };
    }
  }

  async function lint(): Promise<Diagnostic[]> {
    const { document, problem } = documentOrProblem();
    if (problem) {
      showIssues([{ path: '', message: problem.message }], () => problem.from);
      return [problem];
    }
    const result = await call<{ valid: boolean; errors: Issue[]; warnings: Issue[] }>(
      'POST',
      '/v1/workflow/validate',
      document,
    );
    if (!result.ok) {
      showIssues(
        [{ path: '', message: result.problem.detail ?? 'The document could not be checked.' }],
        () => 0,
      );
      return [];
    }
    const text = view.state.doc.toString();
    const at = (issue: Issue) => offsetOfPointer(text, issue.path);
    showIssues(result.body.errors, at);
    if (result.body.valid) void drawDiagram(document);
    const diagnostics = (list: Issue[], severity: 'error' | 'warning') =>
      list.map((issue) => {
        const from = at(issue);
        return {
          from,
          to: Math.min(view.state.doc.lineAt(from).to, from + 40),
          severity,
          message: `${issue.path}: ${issue.message}`,
        };
      });
    return [...diagnostics(result.body.errors, 'error'), ...diagnostics(result.body.warnings, 'warning')];
  }

  function showIssues(list: Issue[], at: (issue: Issue) => number): void {
    status.textContent = list.length ? `${list.length} error${list.length === 1 ? '' : 's'}` : 'Valid';
    errorList.replaceChildren(
      ...list.map((issue) => {
        const offset = at(issue);
        const line = view.state.doc.lineAt(offset).number;
        return h(
          'li',
          {},
          h('button', {
            type: 'button',
            class: 'link',
            text: `Line ${line}: ${issue.path || '/'} — ${issue.message}`,
            onclick: () => {
              view.dispatch({ selection: { anchor: offset }, scrollIntoView: true });
              view.focus();
            },
          }),
        );
      }),
    );
  }

  const orderInput = h('textarea', { id: 'sim-order', rows: 8 }, JSON.stringify(SAMPLE_ORDER, null, 2));

  /** The sample order's currency, which the diagram shows amounts in. */
  function sampleCurrency(): string | undefined {
    try {
      const currency = (JSON.parse(orderInput.value) as { currency?: unknown }).currency;
      return typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : undefined;
    } catch {
      return undefined;
    }
  }

  async function drawDiagram(document: unknown): Promise<void> {
    const currency = sampleCurrency();
    const path = `/v1/workflow/diagram${currency ? `?currency=${currency}` : ''}`;
    const drawn = await call<string>('POST', path, document, 'image/svg+xml');
    if (drawn.ok) diagram.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(drawn.body)))}`;
  }

  const stepsInput = h(
    'textarea',
    { id: 'sim-steps', rows: 5 },
    JSON.stringify([{ to: 'submitted' }, { to: 'confirmed' }, { wait: 'P3D' }], null, 2),
  );

  async function simulate(): Promise<void> {
    const { document } = documentOrProblem();
    let order: unknown;
    let steps: unknown;
    try {
      order = JSON.parse(orderInput.value);
      steps = JSON.parse(stepsInput.value);
    } catch (error) {
      output.replaceChildren(
        h('p', { role: 'alert', text: `The order or the steps are not JSON: ${(error as Error).message}` }),
      );
      return;
    }
    const result = await call<{
      path: { stage: string; cause: string; at: string }[];
      actions: { stage: string; id: string; type: string }[];
      refused: { step: number; status: number; problem: Problem }[];
      stateTransitions: number;
      estimatedUsdPer1000Orders: number;
    }>('POST', '/v1/workflow/simulate', { ...(document !== undefined ? { document } : {}), order, steps });
    if (!result.ok) {
      output.replaceChildren(problemView(result.problem));
      return;
    }
    const r = result.body;
    output.replaceChildren(
      h('h4', { text: 'Path' }),
      h(
        'ol',
        { class: 'path' },
        ...r.path.map((visit) => h('li', { text: `${visit.stage} (${visit.cause}) at ${visit.at}` })),
      ),
      h('h4', { text: 'Actions that would run' }),
      h(
        'ul',
        {},
        ...r.actions.map((action) => h('li', { text: `${action.stage}: ${action.type} ${action.id}` })),
      ),
      h('h4', { text: `Refused steps (${r.refused.length})` }),
      ...r.refused.map((refusal) =>
        h('div', {}, h('p', { text: `Step ${refusal.step}:` }), problemView(refusal.problem)),
      ),
      h('p', {
        class: 'cost',
        text: `${r.stateTransitions} state transitions · about $${r.estimatedUsdPer1000Orders} per 1,000 such orders`,
      }),
    );
  }

  function diff(): void {
    const { document } = documentOrProblem();
    const mine = document === undefined ? view.state.doc.toString() : JSON.stringify(document, null, 2);
    const lines = lineDiff(activeText, mine).filter(
      (line, index, all) =>
        line.kind !== 'same' ||
        all.slice(Math.max(0, index - 2), index + 3).some((near) => near.kind !== 'same'),
    );
    output.replaceChildren(
      h('h4', { text: `Changes against the active version (${activeVersion})` }),
      lines.length
        ? h(
            'pre',
            { class: 'diff' },
            ...lines.map((line) =>
              h('span', {
                class: line.kind,
                text: `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' '} ${line.text}\n`,
              }),
            ),
          )
        : h('p', { text: 'No changes.' }),
    );
  }

  async function publish(): Promise<void> {
    const { document, problem } = documentOrProblem();
    if (problem) {
      output.replaceChildren(h('p', { role: 'alert', text: problem.message }));
      return;
    }
    const published = await call<{ version: number }>('PUT', '/v1/workflow', document);
    if (published.ok) {
      output.replaceChildren(
        h('p', { class: 'ok', role: 'status', text: `Published as version ${published.body.version}.` }),
      );
      return;
    }
    if (published.status === 403) {
      publishButton.disabled = true;
      publishButton.setAttribute('aria-describedby', 'publish-reason');
      publishReason.textContent = `This key cannot publish: ${published.problem.detail ?? 'it lacks the workflow:write scope'}`;
    }
    output.replaceChildren(problemView(published.problem));
  }
  publishButton.addEventListener('click', () => void publish());

  root.append(
    h('h2', { text: `Workflow studio — active version ${activeVersion}` }),
    h(
      'div',
      { class: 'studio' },
      h(
        'section',
        { class: 'editor', 'aria-label': 'Editor' },
        view.dom,
        status,
        errorList,
        h(
          'p',
          { class: 'actions' },
          publishButton,
          h('button', { type: 'button', text: 'Diff against active', onclick: diff }),
          publishReason,
        ),
      ),
      h(
        'section',
        { class: 'side', 'aria-label': 'Diagram and simulator' },
        enlarge,
        diagram,
        h(
          'form',
          {
            class: 'simulator',
            'aria-label': 'Simulator',
            onsubmit: (event: Event) => {
              event.preventDefault();
              void simulate();
            },
          },
          h('label', { for: 'sim-order', text: 'Sample order' }),
          orderInput,
          h('label', { for: 'sim-steps', text: 'Steps' }),
          stepsInput,
          h('button', { type: 'submit', text: 'Simulate' }),
        ),
        output,
      ),
    ),
  );
}
