import { createSquareEmulator } from './emulator';

// Runs the Square emulator on its own: SQUARE_EMULATOR_PORT (default
// 8090), SQUARE_SEED_DATE (default yesterday in New York).

async function main(): Promise<void> {
  const port = Number(process.env.SQUARE_EMULATOR_PORT ?? 8090);
  const date = process.env.SQUARE_SEED_DATE;
  const emulator = createSquareEmulator(date ? { seed: { date } } : {});
  const url = await emulator.start(port, '127.0.0.1');
  console.log(`Square emulator on ${url}`, emulator.state());

  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
