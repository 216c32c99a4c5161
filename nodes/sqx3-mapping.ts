import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import {
  fail,
  ok,
  warn,
  type Done,
  type Send,
  onInput,
} from '../lib/node-red/kit';
import type {
  LedgerConfigNode,
  SquareConfigNode,
  X3ConfigNode,
} from '../lib/node-red/config-types';
import { SkuCache, variationsToLookUp } from '../lib/ledger/catalog-skus';
import {
  chooseTables,
  deployedHash,
  keepTables,
} from '../lib/ledger/kept-tables';
import {
  parseMappingTables,
  parseTablesMessage,
} from '../lib/ledger/mapping-tables';
import { mappingFromCsv, mappingToCsv } from '../lib/ledger/mapping-csv';
import { checkTables, type ReferenceLists } from '../lib/ledger/mapping-check';
import { resolveMapping } from '../lib/ledger/mapping';
import { RefundGate } from '../lib/ledger/refund-gate';
import type { MappingTables, PostingMode } from '../lib/ledger/types';
import type { SyncRecord } from '../lib/sync/record';

interface MappingDef extends NodeDef {
  ledger: string;
  x3?: string;
  /** Square connection, for the SKUs of the tables' SKU rows */
  square?: string;
  tables: string;
  mode?: string;
  creditMemo?: boolean;
}

interface PostingSettings {
  mode: PostingMode;
  itemisedCreditMemo: boolean;
}

type In = NodeMessageInFlow & { payload: unknown };

type Self = Node & {
  mappingTables: () => MappingTables | undefined;
  postingMode: () => PostingMode;
  skuLookup: () => SkuCache | undefined;
  referenceCheck: (refresh: boolean) => Promise<unknown>;
};

/** X3's code lists are read once and kept this long, unless refreshed. */
const REFERENCE_TTL_MS = 10 * 60_000;

/** A refund waits at most this long for its sale to reach X3, then holds. */
const SALE_WAIT_MS = 30_000;

/** SKUs of this many catalog variations are kept per deploy. */
const SKU_CACHE_SIZE = 5_000;

export = function register(RED: NodeAPI) {
  function Mapping(this: Self, config: MappingDef) {
    RED.nodes.createNode(this, config);
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    const x3 = config.x3
      ? (RED.nodes.getNode(config.x3) as X3ConfigNode | null)
      : null;
    const square = config.square
      ? (RED.nodes.getNode(config.square) as SquareConfigNode | null)
      : null;
    // once a config's trouble is over, the counts come back (if any yet)
    const repaint = () => (mapped || held ? showCounts() : this.status({}));
    store?.users.add(this, repaint);
    this.on('close', () => store?.users.remove(this));
    square?.users.add(this, repaint);
    this.on('close', () => square?.users.remove(this));
    const skus = square ? new SkuCache(square.client, SKU_CACHE_SIZE) : null;
    const basedOn = deployedHash(config.tables);
    let tables: MappingTables | undefined;
    const posting: PostingSettings = {
      mode: config.mode === 'journal' ? 'journal' : 'invoice',
      itemisedCreditMemo: config.creditMemo !== false,
    };
    this.mappingTables = () => tables;
    this.postingMode = () => posting.mode;
    // shared so a reconciliation maps lines by SKU as this node posts them
    this.skuLookup = () => skus ?? undefined;
    let mapped = 0;
    let held = 0;
    let released = 0;

    const showCounts = () => {
      const extra = released ? ` · ${released} released` : '';
      (held > released ? warn : ok)(
        this,
        `${mapped} mapped · ${held} held${extra}`,
      );
    };

    /** Asks the catalog for the SKUs these records need and lacks. */
    const loadSkus = async (records: SyncRecord[]) => {
      if (!skus || !tables) return;
      const current = tables;
      await skus.load(records.flatMap((r) => variationsToLookUp(r, current)));
    };

    const resolve = (record: SyncRecord, current: MappingTables) =>
      resolveMapping(record, current, {
        mode: posting.mode,
        skuOf: (id) => skus?.sku(id),
      });

    // A refund whose sale the ledger knows but X3 does not hold yet waits,
    // held, and goes on by itself once that sale is posted.
    const gate = store
      ? new RefundGate(
          () => store.ledger,
          (sale, refunds) =>
            void serial(async () => {
              try {
                const released = await releaseHeld(
                  (m) => this.send(m),
                  refunds,
                );
                if (released) showCounts();
              } catch (error) {
                this.error(
                  `releasing refunds of ${sale} failed: ${String(error)}`,
                );
              }
            }),
          SALE_WAIT_MS,
        )
      : undefined;
    this.on('close', () => gate?.close());

    /** Maps one record; true when it left by output 1. */
    const route = async (
      record: SyncRecord,
      msg: object,
      send: Send,
    ): Promise<boolean> => {
      if (!tables) throw new Error('the mapping tables are invalid');
      try {
        await loadSkus([record]);
      } catch (error) {
        const reason = `SKUs from Square's catalog: ${(error as Error).message}`;
        store?.ledger.setState(record.key, 'failed', reason);
        throw new Error(`${record.key} not mapped: ${reason}`);
      }
      const saleMissing = gate?.holdReason(record);
      const result: ReturnType<typeof resolve> = saleMissing
        ? { ok: false, missing: [saleMissing] }
        : resolve(record, tables);
      if (result.ok) {
        mapped += 1;
        store?.ledger.setState(
          record.key,
          'mapped',
          `site ${result.mapping.site}`,
        );
        send([{ ...msg, mapping: result.mapping, posting } as never, null]);
        return true;
      }
      held += 1;
      const reason = `missing ${result.missing.join('; ')}`;
      store?.ledger.setState(record.key, 'held', reason);
      this.warn(`${record.key} held: ${reason}`);
      send([null, { ...msg, held: result.missing } as never]);
      return false;
    };

    // Held records wait in the ledger; each one the tables now cover goes
    // on by output 1, in the order Square dated them.
    const releaseHeld = async (
      send: Send,
      keys?: string[],
    ): Promise<number> => {
      if (!store || !tables) return 0;
      const rows = keys
        ? keys.map((key) => store.ledger.get(key))
        : store.ledger.list({ state: 'held', limit: 10_000 });
      const held = rows
        .filter((row) => row?.state === 'held')
        .map((row) => row?.record)
        .filter((r): r is SyncRecord => Boolean(r));
      await loadSkus(held);
      let count = 0;
      for (const record of held) {
        if (gate?.holdReason(record)) continue;
        const result = resolve(record, tables);
        if (!result.ok) continue;
        gate?.released(record.key);
        store.ledger.trail(
          record.key,
          'released',
          keys
            ? 'its sale is in X3 now; sent on without a replay'
            : 'the mapping now covers it; sent on without a replay',
        );
        mapped += 1;
        released += 1;
        count += 1;
        store.ledger.setState(
          record.key,
          'mapped',
          `site ${result.mapping.site}`,
        );
        send([
          {
            topic: record.kind,
            payload: record,
            mapping: result.mapping,
            posting,
          } as never,
          null,
        ]);
      }
      return count;
    };

    // Set by msg: kept in the ledger (when there is one) so a restart
    // keeps them, until a deploy changes the tables in the editor.
    const useTables = async (next: MappingTables, via: string, send: Send) => {
      // kept first: tables the ledger could not keep are not used either
      if (store) keepTables(store.ledger, this.id, basedOn, next, via);
      tables = next;
      this.log(`using the tables set by msg (${via})`);
      const count = await releaseHeld(send);
      if (count) this.log(`${count} held record(s) released`);
      showCounts();
    };

    // One message at a time, so records leave in the order they came even
    // when one of them waits for Square's catalog.
    let queue: Promise<void> = Promise.resolve();
    const serial = (work: () => Promise<void>) => {
      queue = queue.then(work, work);
      return queue;
    };

    try {
      tables = parseMappingTables(config.tables);
      if (store) {
        const deployed = tables;
        try {
          const choice = chooseTables(store.ledger, this.id, deployed, basedOn);
          tables = choice.tables;
          this.log(`using ${choice.note}`);
        } catch (error) {
          this.warn(
            'using the deployed tables (the ledger could not be read: ' +
              `${(error as Error).message})`,
          );
        }
      } else {
        this.log('using the deployed tables (no ledger to keep others in)');
      }
      if (tables.skus && Object.keys(tables.skus).length > 0 && !skus) {
        this.warn('the SKU rows need a Square connection to read SKUs');
      }
    } catch (error) {
      this.status({
        fill: 'red',
        shape: 'ring',
        text: 'sqx3-mapping.status.tablesInvalid',
      });
      this.error(`mapping table invalid: ${(error as Error).message}`);
    }
    const start = setTimeout(() => {
      void serial(async () => {
        try {
          if (tables && (await releaseHeld((m) => this.send(m)))) {
            showCounts();
          }
        } catch (error) {
          this.error(
            `releasing held records failed: ${(error as Error).message}`,
          );
        }
      });
    }, 0);
    this.on('close', () => clearTimeout(start));

    let reference: { at: number; lists: ReferenceLists } | undefined;
    this.referenceCheck = async (refresh: boolean) => {
      if (!x3) throw new Error('choose an X3 connection to check against');
      if (!tables) throw new Error('the mapping tables are invalid');
      if (
        refresh ||
        !reference ||
        Date.now() - reference.at > REFERENCE_TTL_MS
      ) {
        const g = x3.gateway;
        const [sites, accounts, products, customers, taxCodes] =
          await Promise.all([
            g.listReference('sites'),
            g.listReference('accounts'),
            g.listReference('products'),
            g.listReference('customers'),
            g.listReference('taxCodes'),
          ]);
        const codes = (items: { code: string }[]) => items.map((i) => i.code);
        reference = {
          at: Date.now(),
          lists: {
            sites: codes(sites),
            accounts: codes(accounts),
            products: codes(products),
            customers: codes(customers),
            taxCodes: codes(taxCodes),
          },
        };
      }
      const problems = checkTables(tables, reference.lists);
      return {
        ok: problems.length === 0,
        checkedAt: new Date(reference.at).toISOString(),
        problems,
      };
    };

    const handle = async (msg: In, send: Send, done: Done) => {
      try {
        if (msg.topic === 'tables' || msg.topic === 'import-csv') {
          const next =
            msg.topic === 'tables'
              ? parseTablesMessage(msg.payload)
              : mappingFromCsv(String(msg.payload ?? ''));
          await useTables(next, msg.topic, send);
          done();
          return;
        }
        if (msg.topic === 'export-csv') {
          if (!tables) throw new Error('the mapping tables are invalid');
          send([{ ...msg, payload: mappingToCsv(tables) } as never, null]);
          done();
          return;
        }
        if (msg.topic === 'release-held') {
          await releaseHeld(send);
          showCounts();
          done();
          return;
        }
        const record = msg.payload as SyncRecord | undefined;
        if (!record?.key || !record.square) {
          throw new Error('msg.payload is not a Square sync record');
        }
        await route(record, msg, send);
        showCounts();
        done();
      } catch (error) {
        fail(this, done, error);
      }
    };
    onInput(this, async (msg: In, send: Send, done: Done) => {
      const record = msg.payload as SyncRecord | undefined;
      // a refund whose sale is on its way to X3 waits for it to settle
      if (record?.kind === 'refund' && record.square) {
        await gate?.settled(record);
      }
      return serial(() => handle(msg, send, done));
    });
  }

  RED.nodes.registerType('sqx3-mapping', Mapping as never);

  const self = (id: string) => RED.nodes.getNode(id) as Self | null;

  RED.httpAdmin.get(
    '/sqx3/mapping/:id/export.csv',
    RED.auth.needsPermission('sqx3-mapping.read'),
    (req, res) => {
      const tables = self(String(req.params.id))?.mappingTables();
      if (!tables) {
        res.status(404).json({ message: 'deploy the node first' });
        return;
      }
      try {
        res.type('text/csv').send(mappingToCsv(tables));
      } catch (error) {
        res.status(400).json({ message: (error as Error).message });
      }
    },
  );

  RED.httpAdmin.post(
    '/sqx3/mapping/import-csv',
    RED.auth.needsPermission('sqx3-mapping.write'),
    (req, res) => {
      try {
        const csv = String((req.body as { csv?: unknown })?.csv ?? '');
        res.json({ ok: true, tables: mappingFromCsv(csv) });
      } catch (error) {
        res.status(400).json({ ok: false, message: (error as Error).message });
      }
    },
  );

  RED.httpAdmin.post(
    '/sqx3/mapping/:id/check',
    RED.auth.needsPermission('sqx3-mapping.write'),
    async (req, res) => {
      const node = self(String(req.params.id));
      if (!node) {
        res.status(404).json({ ok: false, message: 'deploy the node first' });
        return;
      }
      try {
        res.json(await node.referenceCheck(req.query.refresh === '1'));
      } catch (error) {
        res.json({
          ok: false,
          message: (error as Error).message,
          problems: [],
        });
      }
    },
  );
};
