import { createHash, randomBytes } from 'node:crypto';

// Ids shaped like Square's, derived from a seed string so that the same
// seed always gives the same id (the seeded day depends on it).

const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

export function hashId(seed: string, length: number, alphabet = MIXED) {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    const digest = createHash('sha256').update(`${seed}#${round}`).digest();
    for (const byte of digest) {
      if (out.length >= length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export const squareIds = {
  order: (seed: string) => hashId(`order:${seed}`, 25) + 'ZY',
  payment: (seed: string) => hashId(`payment:${seed}`, 27) + 'ZY',
  refund: (paymentId: string, seed: string) =>
    `${paymentId}_${hashId(`refund:${seed}`, 45)}`,
  customer: (seed: string) => hashId(`customer:${seed}`, 26, UPPER),
  uid: (seed: string) => hashId(`uid:${seed}`, 22),
  versionToken: (seed: string) => hashId(`vt:${seed}`, 45),
  subscription: (seed: string) => 'wbhk_' + hashId(`sub:${seed}`, 32, HEX),
  token: (prefix: string, seed: string) => prefix + hashId(`token:${seed}`, 56),
  eventId(seed: string): string {
    const h = hashId(`event:${seed}`, 32, HEX);
    const variant = HEX[8 + (parseInt(h[16], 16) % 4)];
    return [
      h.slice(0, 8),
      h.slice(8, 12),
      '4' + h.slice(13, 16),
      variant + h.slice(17, 20),
      h.slice(20, 32),
    ].join('-');
  },
};

/**
 * A counter-backed source of ids for objects made without given ids.
 * While seeding, ids depend on the seed alone, so a seed date always
 * gives the same day; after it, each start mixes in its own random part,
 * since a counter that starts again would hand out ids a previous start
 * gave out, and Square ids never repeat.
 */
export class IdSource {
  private counter = 0;
  private seeding = false;
  private readonly start = randomBytes(9).toString('base64url');

  constructor(private readonly seed: string) {}

  /** Runs `work` with the ids of the seeded day. */
  seeded<T>(work: () => T): T {
    this.seeding = true;
    try {
      return work();
    } finally {
      this.seeding = false;
    }
  }

  next(kind: string): string {
    this.counter += 1;
    const start = this.seeding ? '' : `${this.start}:`;
    return `${this.seed}:${start}${kind}:${this.counter}`;
  }
}
