import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { MAX_BODY_BYTES, problemResponse } from '../functions/api/edge.js';
import type { AuthorizerContext } from '../functions/authorizer/handler.js';
import { DEFAULT_ROUTE_KEY, routesAt } from '../shared/http/route-matching.js';
import { routeKey } from '../shared/http/routes.js';
import { ProblemError, problems, statusTitle } from '../shared/problem.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
type Authorizer = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>>;

function decodePathSegment(segment = ''): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw problems.validation(
      [{ path: '/params', message: `"${segment}" is not valid percent-encoding.` }],
      'The path is not valid.',
    );
  }
}

/**
 * Finds the route as API Gateway would: by path template, then by method. None matches: the
 * request goes to the `$default` route, which answers 404 or 405 (the api function's routing).
 */
export function matchRoute(method: string, path: string) {
  const match = routesAt(path).find(({ route }) => route.method === method);
  if (!match) return undefined;
  const pathParameters = Object.fromEntries(
    Object.entries(match.rawParameters).map(([name, value]) => [name, decodePathSegment(value)]),
  );
  return { route: match.route, pathParameters };
}

export function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ProblemError(413, 'too-large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const status = result.statusCode ?? 200;
  // The status text in the problems' own wording, so it and the `title` agree.
  response.writeHead(status, statusTitle(status) ?? STATUS_CODES[status] ?? '', headers);
  response.end(result.body ?? '');
}

/** Builds the HTTP API (payload format 2.0) event API Gateway would send for this request. */
function toEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  routeKeyValue: string,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: routeKeyValue,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKeyValue,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
  };
}

/** Calls the authorizer as API Gateway does for tenant routes and puts its context on the event. */
async function authorize(
  event: APIGatewayProxyEventV2,
  authorizer: Authorizer,
): Promise<APIGatewayProxyEventV2> {
  const result = await authorizer({
    ...event,
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${event.routeKey.replace(' ', '')}`,
    identitySource: [event.headers.authorization ?? ''],
  } as APIGatewayRequestAuthorizerEventV2);
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { lambda: result.context } },
  } as APIGatewayProxyEventV2;
}

/**
 * A plain HTTP server standing in for API Gateway: same routes, same events, same
 * authorizer and api handlers.
 */
export function createLocalApiGateway(handler: Handler, authorizer: Authorizer): Server {
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = (request.method ?? 'GET').toUpperCase();
      const match = matchRoute(method, url.pathname);
      const body = await readBody(request);
      const built = toEvent(
        request,
        url,
        body,
        match ? routeKey(match.route) : DEFAULT_ROUTE_KEY,
        match?.pathParameters ?? {},
      );
      const event = match?.route.auth === 'tenant' ? await authorize(built, authorizer) : built;
      const result = await handler(event, lambdaContext('orderflow-api', event.requestContext.requestId));
      send(response, result);
    } catch (error) {
      if (error instanceof ProblemError) {
        response.setHeader('connection', 'close');
        send(response, problemResponse(error.toProblem(), error.headers));
        request.resume();
        return;
      }
      send(response, problemResponse(problems.unavailable().toProblem()));
    }
  });
  // Node closes idle keep-alive sockets after 5 s, a hair after clients' own 4 s: under load a
  // client could reuse a socket the server was closing (ECONNRESET). Idle sockets stay longer.
  server.keepAliveTimeout = 65_000;
  return server;
}
