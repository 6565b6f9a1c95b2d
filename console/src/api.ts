/** The public API, called with the key the person entered (kept in sessionStorage only). */
const KEY = 'orderflow.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY) ?? '',
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export type ApiResult<T> =
  | { ok: true; status: number; body: T; headers: Headers }
  | { ok: false; status: number; problem: Problem };

export async function call<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  accept = 'application/json',
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey.get()}`, accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    return { ok: false, status: 0, problem: { status: 0, title: 'Network error', detail: String(error) } };
  }
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && text ? JSON.parse(text) : text;
  if (!response.ok) {
    const problem =
      typeof parsed === 'object' && parsed ? (parsed as Problem) : { status: response.status, detail: text };
    return { ok: false, status: response.status, problem };
  }
  return { ok: true, status: response.status, body: parsed as T, headers: response.headers };
}

type Child = Node | string | false | null | undefined;

/** A small element builder: attributes (on* are listeners), then children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, unknown> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function')
      element.addEventListener(name.slice(2), value as EventListener);
    else if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A refused call, shown as it came: its title and detail, each problem, and the raw problem+json. */
export function problemView(problem: Problem): HTMLElement {
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', { text: `${problem.status} ${problem.title ?? ''}` }),
    problem.detail ? h('p', { text: problem.detail }) : null,
    problem.errors?.length
      ? h(
          'ul',
          {},
          ...problem.errors.map((error) => h('li', { text: `${error.path || '/'}: ${error.message}` })),
        )
      : null,
    h(
      'details',
      {},
      h('summary', { text: 'problem+json' }),
      h('pre', { text: JSON.stringify(problem, null, 2) }),
    ),
  );
}

/** Why a refused transition is refused, in one line. */
export function reasonOf(problem: Problem): string {
  const errors = problem.errors?.map((error) => error.message).join(' ');
  return [problem.detail, errors].filter(Boolean).join(' ');
}
