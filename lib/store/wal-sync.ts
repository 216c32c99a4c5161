import fs from 'node:fs';

// fsync of the ledger's WAL on libuv's thread pool: every commit so far
// is in it, or was checkpointed into the database file, which SQLite
// syncs as it checkpoints. fsync works on the file, not the descriptor,
// so SQLite's own writes are included. One sync runs at a time; callers
// arriving while it runs share the next one, since the running one may
// have started before their commit. The WAL stays open between syncs:
// SQLite removes it only when the last connection to the file closes,
// and the ledger's connection closes with this.

export class WalSync {
  private handle?: fs.promises.FileHandle;
  private running?: Promise<void>;
  private next?: Promise<void>;
  private closed = false;

  constructor(private readonly file: string) {}

  /** Resolves once every commit made before the call is on disk. */
  synced(): Promise<void> {
    if (!this.running) {
      this.running = this.syncOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.synced();
      });
    return this.next;
  }

  close(): void {
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    handle?.close().catch(() => undefined);
  }

  private async syncOnce(): Promise<void> {
    const wal = this.handle ?? (await this.openWal());
    // no WAL yet: everything is in the database file
    const handle = wal ?? (await fs.promises.open(this.file, 'r'));
    try {
      await handle.sync();
    } finally {
      if (handle !== this.handle) await handle.close();
    }
  }

  /** The WAL, kept open while the ledger is, or undefined if none. */
  private async openWal(): Promise<fs.promises.FileHandle | undefined> {
    try {
      const handle = await fs.promises.open(`${this.file}-wal`, 'r');
      // a mark may still wait for a sync when the ledger closes
      if (!this.closed) this.handle = handle;
      return handle;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return undefined;
    }
  }
}
