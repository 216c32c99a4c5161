import { createHmac, timingSafeEqual } from 'node:crypto';

// Square signs each notification with HMAC-SHA256 over the notification
// URL (exactly as registered) followed by the raw body, keyed with the
// subscription's signature key as UTF-8 text, in standard base64.

export function squareSignature(
  signatureKey: string,
  notificationUrl: string,
  rawBody: Buffer | string,
): string {
  if (!signatureKey) throw new Error('signature key is empty');
  if (!notificationUrl) throw new Error('notification URL is empty');
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody;
  return createHmac('sha256', signatureKey)
    .update(Buffer.concat([Buffer.from(notificationUrl), body]))
    .digest('base64');
}

export interface SignatureCheck {
  signatureKey: string;
  notificationUrl: string;
  rawBody: Buffer | string;
  /** the x-square-hmacsha256-signature header */
  signature: string | undefined;
}

export function verifySquareSignature(check: SignatureCheck): boolean {
  const { rawBody, signature } = check;
  if (!signature || rawBody === undefined || rawBody.length === 0) {
    return false;
  }
  const expected = Buffer.from(
    squareSignature(check.signatureKey, check.notificationUrl, rawBody),
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
