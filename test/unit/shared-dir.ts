import fs from 'node:fs';
import path from 'node:path';

// Square's full OpenAPI spec is too large to ship; tests that need it find
// the project's shared reference folder beside the checkout (as CI lays
// it out), or where SQX3_SHARED_DIR says, and skip with a reason if not.

const packageRoot = path.resolve(__dirname, '..', '..', '..');

export function sharedFile(relative: string): string | undefined {
  const candidates = [
    process.env.SQX3_SHARED_DIR,
    path.resolve(packageRoot, '..', 'shared'),
  ].filter((dir): dir is string => Boolean(dir));
  for (const dir of candidates) {
    const file = path.resolve(dir, relative);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}
