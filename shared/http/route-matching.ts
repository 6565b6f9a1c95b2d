import { type RouteDefinition, routes } from './routes.js';

/** API Gateway's key for the route that receives every request no other route matches. */
export const DEFAULT_ROUTE_KEY = '$default';

const matchers = (routes as readonly RouteDefinition[]).map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${pattern}$`), names };
});

/**
 * The routes whose path template matches `path`, whatever their method, each with its path
 * parameters as they appear in the path (still percent-encoded).
 */
export function routesAt(path: string): { route: RouteDefinition; rawParameters: Record<string, string> }[] {
  return matchers.flatMap(({ route, regex, names }) => {
    const match = regex.exec(path);
    if (!match) return [];
    return [{ route, rawParameters: Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? ''])) }];
  });
}
