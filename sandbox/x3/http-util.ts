import type http from 'node:http';

// Reading requests and writing JSON answers, for the X3 emulator.

const MAX_BODY = 1 << 20;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes a JSON answer; returns its size in bytes. */
export function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): number {
  const text = JSON.stringify(body);
  const bytes = Buffer.byteLength(text);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': bytes,
    ...headers,
  });
  res.end(text);
  return bytes;
}

export function parseForm(
  text: string,
  type: string | undefined,
): Record<string, string> {
  if (type?.includes('application/json')) {
    return JSON.parse(text || '{}') as Record<string, string>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text);
}
