import { createHash } from 'node:crypto';

// X3 reference fields are short (BPRVCR 20, BPCNUM 15) and Square ids are
// long, so a reference is a prefix plus a hash of the full key. The same
// key always gives the same reference, which is what lets a re-post find
// the document X3 already holds.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function shortReference(
  input: string,
  prefix: string,
  length: number,
): string {
  const digest = base32(createHash('sha256').update(input).digest());
  return (prefix + digest).slice(0, length);
}

/** BPRVCR / INVREF for a document key: 20 characters. */
export function documentReference(docKey: string): string {
  return shortReference(docKey, 'SQ', 20);
}

/** BPCNUM for a Square customer id: 15 characters. */
export function customerCode(squareCustomerId: string): string {
  return shortReference(squareCustomerId, 'SQ', 15);
}
