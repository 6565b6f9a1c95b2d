/** One problem in a request, located by a JSON pointer into the request (`/items/0/quantity`). */
export interface ProblemDetail {
  path: string;
  message: string;
}

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemDetail[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The reason phrase of a status (RFC 9110's wording): the problem `title` and, where the
 * server writes one, the HTTP status text, so the two always agree.
 */
export function statusTitle(status: number): string | undefined {
  return TITLES[status];
}

/** How the client authenticates, announced with every 401 (RFC 9110 §11.6.1). */
export const WWW_AUTHENTICATE = 'Bearer realm="orderflow"';

/**
 * A failure the client can act on. Domain code throws it; the HTTP edge turns it into
 * `application/problem+json` without leaking anything else about the failure.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly errors?: ProblemDetail[];
  readonly slug: string;
  readonly extensions: Record<string, unknown>;
  /** The same request may succeed when simply sent again (a race lost), so it is not remembered as its answer. */
  readonly transient: boolean;
  /** Response headers the status calls for (`Allow` on a 405, `WWW-Authenticate` on a 401). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    detail: string,
    options: {
      errors?: ProblemDetail[];
      extensions?: Record<string, unknown>;
      transient?: boolean;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = status;
    this.slug = slug;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.transient = options.transient ?? status >= 500;
    this.headers = options.headers ?? {};
  }

  toProblem(): Problem {
    return {
      type: `https://orderflow.dev/problems/${this.slug}`,
      title: statusTitle(this.status) ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const problems = {
  validation: (errors: ProblemDetail[], detail = 'The request is not valid.') =>
    new ProblemError(400, 'validation', detail, { errors }),
  notFound: (what: string) => new ProblemError(404, 'not-found', `${what} was not found.`),
  unauthorized: () =>
    new ProblemError(401, 'unauthorized', 'A valid API key is required: Authorization: Bearer <key>.', {
      headers: { 'www-authenticate': WWW_AUTHENTICATE },
    }),
  /** The path exists, but not with this method: `Allow` lists the methods it has. */
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    new ProblemError(405, 'method-not-allowed', `${method} is not supported on ${path}.`, {
      headers: { allow: allowed.join(', ') },
    }),
  forbidden: (detail: string) => new ProblemError(403, 'forbidden', detail),
  missingScope: (requiredScope: string) =>
    new ProblemError(403, 'missing-scope', `This key lacks the "${requiredScope}" scope this call needs.`, {
      extensions: { requiredScope },
    }),
  conflict: (detail: string, extensions?: Record<string, unknown>) =>
    new ProblemError(409, 'conflict', detail, { extensions }),
  /** Another request changed the same thing at the same moment: a retry may well succeed. */
  concurrentChange: (detail: string) => new ProblemError(409, 'conflict', detail, { transient: true }),
  preconditionFailed: (detail: string) => new ProblemError(412, 'precondition-failed', detail),
  unavailable: () =>
    new ProblemError(503, 'unavailable', 'The service is temporarily unavailable; retry shortly.'),
};
