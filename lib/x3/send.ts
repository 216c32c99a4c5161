import * as http from 'node:http';
import * as https from 'node:https';
import { StringDecoder } from 'node:string_decoder';

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
  /** a longer answer fails the call; MAX_ANSWER_BYTES when not given */
  maxAnswerBytes?: number;
}

// A page of X3 records runs to a few MB. Past about 512 MiB a string
// cannot grow: the append would throw inside a stream listener, where
// nothing catches it, and take Node-RED down with it.
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface SentAnswer {
  status: number;
  headers: AnswerHeaders;
  text: string;
}

// Connections kept open between calls; the X3 config's call cap bounds
// how many there are.
const transports = {
  'http:': {
    request: http.request,
    agent: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  },
  'https:': {
    request: https.request,
    agent: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  },
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
  const transport = transports[target.protocol as keyof typeof transports];
  if (!transport) {
    return Promise.reject(
      new Error(`X3 URL ${target.origin} is neither http nor https`),
    );
  }
  const headers: Record<string, string | number> = { ...request.headers };
  const body = request.body;
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);

  return new Promise<SentAnswer>((resolve, reject) => {
    const maxBytes = request.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    let answered = false;
    const req = transport.request(
      target,
      { method: request.method ?? 'GET', headers, agent: transport.agent },
      (res) => {
        answered = true;
        const fail = (error: Error) => {
          req.destroy(error);
          reject(error);
        };
        const status = res.statusCode ?? 0;
        // Node gives a 100 and a 103 their own events; a 1xx that gets
        // here (a 101 without an Upgrade header) leaves the outcome open.
        if (status < 200) {
          fail(new Error(`X3 answered ${status}, not a final answer`));
          return;
        }
        if (Number(res.headers['content-length']) > maxBytes) {
          fail(tooLong(maxBytes));
          return;
        }
        const decoder = new StringDecoder('utf8');
        let bytes = 0;
        let text = '';
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            text = '';
            fail(tooLong(maxBytes));
            return;
          }
          text += decoder.write(chunk);
        });
        res.on('end', () =>
          resolve({
            status,
            headers: new NodeHeaders(res.headers),
            text: text + decoder.end(),
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
    // A 101 with an Upgrade header goes to 'upgrade' listeners, and with
    // none Node closes the socket without an 'error' or a 'response'.
    req.on('close', () => {
      if (!answered) reject(new Error('X3 closed the connection unanswered'));
    });
    // Settled here too, so no event Node leaves out can outlive the
    // deadline and keep the call's slot.
    cancel((reason) => {
      req.destroy(reason);
      reject(reason);
    });
    req.end(body);
  });
}

function tooLong(maxBytes: number): Error {
  const mib = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new Error(`X3's answer is longer than ${mib} MiB`);
}
