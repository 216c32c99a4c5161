import * as http from 'node:http';
import * as https from 'node:https';

// One request to X3 over Node's own http/https modules. fetch costs about
// four times the CPU per call (web streams, a tee of every request body
// unless redirects are refused outright, an AbortSignal, Headers) and
// leaves most of its objects alive long enough to be promoted to V8's old
// space, which is what grew the heap on a long backlog. Redirects are
// never followed here: the answer comes back as it is.

/** The answer's headers, read by name like fetch's Headers. */
export interface AnswerHeaders {
  get(name: string): string | null;
}

export interface SendRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface SentAnswer {
  status: number;
  headers: AnswerHeaders;
  text: string;
}

// Connections kept open between calls; the X3 config's call cap bounds
// how many there are.
const agents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

class NodeHeaders implements AnswerHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * Sends one request; `cancel` receives a function that destroys it, for
 * the caller's deadline. Rejects on a dropped connection.
 */
export function send(
  url: string,
  request: SendRequest,
  cancel: (destroy: (reason: Error) => void) => void,
): Promise<SentAnswer> {
  const target = new URL(url);
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) {
    return Promise.reject(
      new Error(`X3 URL ${target.origin} is neither http nor https`),
    );
  }
  const transport = target.protocol === 'https:' ? https : http;
  const headers: Record<string, string | number> = { ...request.headers };
  const body = request.body;
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);

  return new Promise<SentAnswer>((resolve, reject) => {
    const req = transport.request(
      target,
      { method: request.method ?? 'GET', headers, agent },
      (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new NodeHeaders(res.headers),
            text,
          }),
        );
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) {
            reject(new Error('X3 closed the connection mid-answer'));
          }
        });
      },
    );
    req.on('error', reject);
    cancel((reason) => req.destroy(reason));
    req.end(body);
  });
}
