import type { IncomingMessage, ServerResponse } from 'node:http';

// A Square signature covers the exact bytes Square sent. In a real
// Node-RED the editor's JSON body parser sits at the root and consumes
// the body before any route of ours runs, so the body is captured here,
// at the top of the root app, for our paths only. Marking the request as
// parsed makes the later parsers leave it alone.

type Next = (err?: unknown) => void;
type Middleware = (req: RawRequest, res: ServerResponse, next: Next) => void;

export interface RawRequest extends IncomingMessage {
  body?: unknown;
  _body?: boolean;
  rawBodyTooLarge?: boolean;
}

interface Layer {
  handle: unknown;
}

interface ExpressLike {
  use(fn: Middleware): unknown;
  parent?: ExpressLike;
  _router?: { stack: Layer[] };
  router?: { stack: Layer[] };
}

export interface RawBodyCapture {
  remove(): void;
}

function stackOf(app: ExpressLike): Layer[] | undefined {
  return app._router?.stack ?? app.router?.stack;
}

function rootOf(app: ExpressLike): ExpressLike {
  let top = app;
  while (top.parent) top = top.parent;
  return top;
}

export function captureRawBody(
  app: ExpressLike,
  matches: (method: string, pathname: string) => boolean,
  limitBytes: number,
): RawBodyCapture {
  const root = rootOf(app);

  const middleware: Middleware = (req, _res, next) => {
    const pathname = (req.url ?? '').split('?')[0];
    if (req._body || !matches(req.method ?? '', pathname)) return next();

    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      req._body = true;
      req.rawBodyTooLarge = size > limitBytes;
      req.body = req.rawBodyTooLarge ? Buffer.alloc(0) : Buffer.concat(chunks);
      next();
    });
    req.on('error', next);
  };

  root.use(middleware);
  const stack = stackOf(root);
  if (stack) {
    const index = stack.findIndex((layer) => layer.handle === middleware);
    if (index > 0) stack.unshift(...stack.splice(index, 1));
  }

  return {
    remove() {
      const layers = stackOf(root);
      if (!layers) return;
      const index = layers.findIndex((layer) => layer.handle === middleware);
      if (index >= 0) layers.splice(index, 1);
    },
  };
}

/** Removes the route layers whose handlers include `handler`. */
export function removeRoute(app: ExpressLike, handler: unknown): void {
  const stack = stackOf(app);
  if (!stack) return;
  for (let i = stack.length - 1; i >= 0; i--) {
    const route = (stack[i] as { route?: { stack: Layer[] } }).route;
    if (route?.stack.some((layer) => layer.handle === handler)) {
      stack.splice(i, 1);
    }
  }
}
