import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// Story: a user runs `npm run reconcile` with no settings, as the README
// says, once as is and once with SQX3_X3_TRANSPORT=soap. Each run posts
// its own copy of the seeded day and reconciles it: every shop ties to
// the cent, and the exit code says so.

const script = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'scripts',
  'reconcile.js',
);

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('npm run reconcile on the demo day', () => {
  for (const transport of ['graphql', 'soap']) {
    test(`posted through ${transport}, every shop ties`, () => {
      const { code, out } = run({ SQX3_X3_TRANSPORT: transport });
      assert.equal(code, 0, out);
      assert.match(out, /records posted, 0 skipped, 0 held/);
      assert.equal(out.match(/ties to the cent/g)?.length, 3, out);
      assert.equal(/through classic SOAP/.test(out), transport === 'soap', out);
      const took = /X3 took (\d+) GraphQL mutations, (\d+) SOAP saves/.exec(
        out,
      );
      const [graphql, soap] = [Number(took?.[1]), Number(took?.[2])];
      if (transport === 'soap') assert.ok(graphql === 0 && soap > 30, out);
      else assert.ok(graphql > 30 && soap === 0, out);
    });
  }
});
