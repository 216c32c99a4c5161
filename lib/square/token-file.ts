import fs from 'node:fs';
import { grantId, loadChain, saveChain } from '../x3/token-file';
import type { SquareTokens } from './token-manager';

// Square's OAuth tokens between restarts. A PKCE refresh token is
// single-use: the one Square returns must be on disk before it is used,
// and Node-RED writes its credential store only on deploy. So the chain of
// tokens lives in its own file (written atomically, AES-256-GCM), keyed
// with a secret from the node's encrypted credentials: the app secret in
// the code flow, the entered refresh token with PKCE (which has none).

export interface SquareTokenFile {
  initial: SquareTokens;
  resumed: boolean;
  persist(tokens: SquareTokens): void;
  remove(): void;
}

export function squareTokenFile(
  file: string,
  entered: SquareTokens,
  clientSecret: string | undefined,
): SquareTokenFile {
  const grant = grantId(entered.refreshToken ?? entered.accessToken);
  const secret = clientSecret || entered.refreshToken || entered.accessToken;
  const stored = loadChain<SquareTokens>(file, secret);
  const resumed = stored?.grant === grant && Boolean(stored.tokens.accessToken);
  return {
    initial: resumed ? stored!.tokens : entered,
    resumed,
    persist: (tokens) => saveChain(file, { grant, tokens }, secret),
    remove: () => fs.rmSync(file, { force: true }),
  };
}
