import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions } from '../../lib/store/version';

test('integers compare as integers', () => {
  assert.equal(compareVersions('10', '9'), 1);
  assert.equal(compareVersions('9', '10'), -1);
  assert.equal(compareVersions('007', '7'), 0);
  assert.equal(compareVersions('9007199254740993', '9007199254740992'), 1);
});

test('timestamps compare as instants whatever their precision', () => {
  assert.equal(
    compareVersions('2025-01-01T00:00:00.4Z', '2025-01-01T00:00:00.45Z'),
    -1,
  );
  assert.equal(
    compareVersions('2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z'),
    0,
  );
  assert.equal(
    compareVersions('2025-01-01T00:00:00Z', '2024-12-31T19:00:00-05:00'),
    0,
  );
  assert.equal(
    compareVersions(
      '2019-10-29T18:38:45.455006797Z',
      '2019-10-29T18:38:45.455006796Z',
    ),
    1,
  );
});

test('anything else compares as text', () => {
  assert.equal(compareVersions('b', 'a'), 1);
  assert.equal(compareVersions('tok', 'tok'), 0);
  assert.equal(compareVersions('10', 'a'), -1);
});
