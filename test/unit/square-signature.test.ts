import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  squareSignature,
  verifySquareSignature,
} from '../../lib/square/webhook-signature';

// Square's official vectors, shipped with the emulator's reference data.
const VECTORS = path.resolve(
  __dirname,
  '../../sandbox/seed/square-reference/webhook-signature-vectors.json',
);

interface Vector {
  name: string;
  signature_key: string;
  notification_url: string;
  body: string;
  signature_header: string;
  expect_valid: boolean;
}

describe('Square webhook signature', () => {
  const present = fs.existsSync(VECTORS);
  const skip = present ? false : `vectors not found at ${VECTORS}`;

  test('every published vector gives the expected verdict', { skip }, () => {
    const file = JSON.parse(fs.readFileSync(VECTORS, 'utf8'));
    const vectors = file.vectors as Vector[];
    assert.ok(vectors.length >= 8, 'expected the full vector set');
    for (const v of vectors) {
      const check = {
        signatureKey: v.signature_key,
        notificationUrl: v.notification_url,
        signature: v.signature_header,
      };
      const asString = verifySquareSignature({ ...check, rawBody: v.body });
      const asBuffer = verifySquareSignature({
        ...check,
        rawBody: Buffer.from(v.body, 'utf8'),
      });
      assert.equal(asString, v.expect_valid, v.name);
      assert.equal(asBuffer, v.expect_valid, v.name);
    }
  });

  test('computes the signature of vector A', { skip }, () => {
    const file = JSON.parse(fs.readFileSync(VECTORS, 'utf8'));
    const a = (file.vectors as Vector[]).find((v) => v.name === 'pass_basic');
    assert.ok(a);
    assert.equal(
      squareSignature(a.signature_key, a.notification_url, a.body),
      'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
    );
  });

  test('refuses a missing signature, an empty body, a short header', () => {
    const base = {
      signatureKey: 'k',
      notificationUrl: 'https://example.invalid/hook',
    };
    const good = squareSignature('k', base.notificationUrl, '{"a":1}');
    assert.equal(
      verifySquareSignature({ ...base, rawBody: '{"a":1}', signature: good }),
      true,
    );
    assert.equal(
      verifySquareSignature({ ...base, rawBody: '{"a":1}', signature: '' }),
      false,
    );
    assert.equal(
      verifySquareSignature({ ...base, rawBody: '', signature: good }),
      false,
    );
    assert.equal(
      verifySquareSignature({ ...base, rawBody: '{"a":1}', signature: 'abc' }),
      false,
    );
  });
});
