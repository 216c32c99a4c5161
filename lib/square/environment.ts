// Square's two hosts, or any base URL (the local emulator, a proxy).

export const SQUARE_HOSTS: Record<string, string> = {
  production: 'https://connect.squareup.com',
  sandbox: 'https://connect.squareupsandbox.com',
};

export function squareBaseUrl(environment: string, custom?: string): string {
  if (environment === 'custom') {
    if (!custom) throw new Error('Square base URL is required for "custom"');
    return custom.replace(/\/+$/, '');
  }
  const host = SQUARE_HOSTS[environment];
  if (!host) throw new Error(`unknown Square environment "${environment}"`);
  return host;
}
