import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CloudTokens } from './cloud-oauth';

// Where X3 cloud tokens live between restarts. Each refresh rotates the
// refresh token and kills the old one, so the new one must be on disk
// before it is used: a temporary file, fsync, rename over the old file.
// Node-RED's own credential store is written only on deploy, which is
// why the chain of tokens lives here; the token the user entered stays
// in the credentials and starts a new chain when it changes.
//
// The file is encrypted (AES-256-GCM) with a key derived from the app's
// client secret, itself kept in Node-RED's encrypted credentials.

interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

interface Chain<T = CloudTokens> {
  /** sha256 of the refresh token the user entered, which began this chain */
  grant: string;
  tokens: T;
}

function keyOf(secret: string): Buffer {
  return createHash('sha256')
    .update('sqx3-x3-tokens\0')
    .update(secret)
    .digest();
}

export function grantId(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('hex');
}

export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(dir);
    fs.closeSync(dir);
  } catch {
    // Some file systems cannot sync a directory; the rename stands.
  }
}

export function saveChain<T>(
  file: string,
  chain: Chain<T>,
  secret: string,
): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const data = Buffer.concat([
    cipher.update(JSON.stringify(chain), 'utf8'),
    cipher.final(),
  ]);
  const sealed: Sealed = {
    v: 1,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  writeFileAtomic(file, JSON.stringify(sealed));
}

/** The stored chain, or null when there is none or it cannot be read. */
export function loadChain<T = CloudTokens>(
  file: string,
  secret: string,
): Chain<T> | null {
  let sealed: Sealed;
  try {
    sealed = JSON.parse(fs.readFileSync(file, 'utf8')) as Sealed;
  } catch {
    return null;
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyOf(secret),
      Buffer.from(sealed.iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const text = Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
    return JSON.parse(text) as Chain<T>;
  } catch {
    return null;
  }
}

export interface CloudTokenFile {
  /** what to start from: the stored chain, or the entered token */
  initial: CloudTokens;
  /** true when the stored chain was picked up */
  resumed: boolean;
  persist(tokens: CloudTokens): void;
  remove(): void;
}

/**
 * The token file of one config node. `enteredRefreshToken` is the one in
 * the node's credentials; a chain begun from another token is ignored.
 */
export function cloudTokenFile(
  file: string,
  enteredRefreshToken: string,
  clientSecret: string,
): CloudTokenFile {
  const grant = grantId(enteredRefreshToken);
  const stored = loadChain(file, clientSecret);
  const resumed =
    stored?.grant === grant && Boolean(stored.tokens.refreshToken);
  return {
    initial: resumed ? stored!.tokens : { refreshToken: enteredRefreshToken },
    resumed,
    persist: (tokens) => saveChain(file, { grant, tokens }, clientSecret),
    remove: () => fs.rmSync(file, { force: true }),
  };
}
