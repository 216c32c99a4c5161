import type { IncomingHttpHeaders } from 'node:http';
import type { SquareStore } from './store';

export interface RouteContext {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  store: SquareStore;
  /** the bearer token the request carried, when the route needs one */
  token?: string;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => RouteResult;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** path with :name segments */
  path: string;
  auth: 'bearer' | 'none' | 'admin';
  handler: Handler;
}

export interface MatchedRoute {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): MatchedRoute | undefined {
  const parts = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const want = route.path.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;

    const params: Record<string, string> = {};
    const ok = want.every((w, i) => {
      if (w.startsWith(':')) {
        params[w.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return w === parts[i];
    });
    if (ok) return { route, params };
  }
  return undefined;
}

/** Square answers an empty list as an empty object. */
export function listBody(
  name: string,
  items: unknown[],
  cursor?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...extra };
  if (items.length) body[name] = items;
  if (cursor) body.cursor = cursor;
  return body;
}
