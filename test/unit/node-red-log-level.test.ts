import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { logsDebug } from '../../lib/node-red/kit';

// A write node logs each record at debug level only when settings.js
// keeps debug lines: Node-RED builds a stack trace for every
// node.debug() call, even one no logger keeps.

describe('logsDebug', () => {
  test('off with no logging settings or info and above', () => {
    assert.equal(logsDebug(undefined), false);
    assert.equal(logsDebug({}), false);
    assert.equal(logsDebug({ logging: null }), false);
    assert.equal(logsDebug({ logging: { console: { level: 'info' } } }), false);
    assert.equal(
      logsDebug({ logging: { console: { level: 'warn' }, other: null } }),
      false,
    );
  });

  test('on when any logger keeps debug or trace', () => {
    assert.equal(logsDebug({ logging: { console: { level: 'debug' } } }), true);
    assert.equal(
      logsDebug({
        logging: {
          console: { level: 'info' },
          audit: { level: 'trace', handler: () => undefined },
        },
      }),
      true,
    );
  });
});
