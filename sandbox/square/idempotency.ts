import { createHash } from 'node:crypto';
import { badRequest } from './errors';

// Square's idempotency keys: the same key with the same request gives the
// first answer again and changes nothing; the same key with a different
// request is refused. Keys are kept per endpoint.

interface Remembered {
  request: string;
  response: unknown;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export class IdempotencyKeys {
  private readonly seen = new Map<string, Remembered>();

  /**
   * Runs `make` once per (endpoint, key); replays its answer afterwards.
   * A failed `make` is not remembered, so the caller may try again.
   */
  once<T>(
    endpoint: string,
    key: unknown,
    request: unknown,
    maxLength: number,
    make: () => T,
  ): T {
    if (typeof key !== 'string' || key === '') {
      badRequest('VALUE_EMPTY', 'Field must not be blank', 'idempotency_key');
    }
    if (key.length > maxLength) {
      badRequest(
        'VALUE_TOO_LONG',
        `idempotency_key is longer than ${maxLength}.`,
        'idempotency_key',
      );
    }
    const id = `${endpoint}\u0000${key}`;
    const hash = digest(request);
    const before = this.seen.get(id);
    if (before) {
      if (before.request !== hash) {
        badRequest(
          'IDEMPOTENCY_KEY_REUSED',
          'The idempotency key was used with a different request.',
          'idempotency_key',
        );
      }
      return structuredClone(before.response) as T;
    }
    const response = make();
    this.seen.set(id, { request: hash, response: structuredClone(response) });
    return response;
  }

  clear(): void {
    this.seen.clear();
  }
}
