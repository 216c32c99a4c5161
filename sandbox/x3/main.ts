import { createX3Emulator } from './emulator';

// Runs the X3 emulator on its own, for the demo and for manual tries.

async function main(): Promise<void> {
  const port = Number(process.env.X3_EMULATOR_PORT ?? 8124);
  // The cloud token service answers at /v1/token for this demo app.
  const emulator = createX3Emulator({
    cloud: {
      clientId: process.env.X3_CLOUD_CLIENT_ID ?? 'sqx3-demo-cloud',
      clientSecret:
        process.env.X3_CLOUD_CLIENT_SECRET ?? 'sqx3-demo-cloud-secret',
      refreshToken: process.env.X3_CLOUD_REFRESH_TOKEN ?? 'sqx3-demo-refresh',
    },
  });
  const url = await emulator.start(port);
  console.log(`X3 emulator on ${url} (endpoint SEED)`);

  const stop = () => {
    emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`X3 emulator failed to start: ${error.message}`);
  process.exit(1);
});
