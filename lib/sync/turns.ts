// Two messages for the same thing (a document, a Square customer) in one
// process take turns, so the second finds the first's work in the ledger
// instead of reading "not done yet" and calling X3 again. Different keys
// still run side by side.
//
// Turns are kept per ledger file, so a redeployed flow (a new Ledger on the
// same file) still waits for the old flow's calls in flight.

type Running = Map<string, Promise<unknown>>;

export type InTurn = <T>(
  ledger: object,
  key: string,
  work: () => Promise<T>,
) => Promise<T>;

/** A queue of turns of its own: its keys never wait on another's. */
export function takeTurns(): InTurn {
  const byFile = new Map<string, Running>();
  const byObject = new WeakMap<object, Running>();

  const runningOn = (ledger: object): Running => {
    const file = (ledger as { file?: unknown }).file;
    const named = typeof file === 'string' && file !== ':memory:';
    let running = named ? byFile.get(file) : byObject.get(ledger);
    if (running) return running;
    running = new Map();
    if (named) byFile.set(file, running);
    else byObject.set(ledger, running);
    return running;
  };

  return async (ledger, key, work) => {
    const running = runningOn(ledger);
    const before = running.get(key);
    const mine = (async () => {
      if (before) await before.catch(() => undefined);
      return work();
    })();
    running.set(key, mine);
    try {
      return await mine;
    } finally {
      if (running.get(key) === mine) running.delete(key);
    }
  };
}

/** Posts of one X3 document (by docKey). */
export const documentTurns = takeTurns();

/**
 * Steps of one Square customer (by its id: with X3 numbering the X3 code
 * is not known before the first write).
 */
export const customerTurns = takeTurns();
