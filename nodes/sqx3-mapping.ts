import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { fail, ok, warn, type Done, type Send, onInput } from '../lib/node-red/kit';
import type { LedgerConfigNode } from '../lib/node-red/config-types';
import { parseMappingTables } from '../lib/ledger/mapping-tables';
import { resolveMapping } from '../lib/ledger/mapping';
import type { PostingMode } from '../lib/ledger/types';
import type { SyncRecord } from '../lib/sync/record';

interface MappingDef extends NodeDef {
  ledger: string;
  tables: string;
  mode?: string;
  creditMemo?: boolean;
}

interface PostingSettings {
  mode: PostingMode;
  itemisedCreditMemo: boolean;
}

type In = NodeMessageInFlow & { payload: SyncRecord };

export = function register(RED: NodeAPI) {
  function Mapping(this: Node, config: MappingDef) {
    RED.nodes.createNode(this, config);
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    let tables: ReturnType<typeof parseMappingTables>;
    try {
      tables = parseMappingTables(config.tables);
    } catch (error) {
      this.status({ fill: 'red', shape: 'ring', text: 'mapping table invalid' });
      this.error(`mapping table invalid: ${(error as Error).message}`);
      return;
    }
    const posting: PostingSettings = {
      mode: config.mode === 'journal' ? 'journal' : 'invoice',
      itemisedCreditMemo: config.creditMemo !== false,
    };
    let mapped = 0;
    let held = 0;

    onInput(this, (msg: In, send: Send, done: Done) => {
      const record = msg.payload;
      if (!record?.key || !record.square) {
        fail(this, done, new Error('msg.payload is not a Square sync record'));
        return;
      }
      try {
        const result = resolveMapping(record, tables, { mode: posting.mode });
        if (result.ok) {
          mapped += 1;
          store?.ledger.setState(record.key, 'mapped', `site ${result.mapping.site}`);
          send([{ ...msg, mapping: result.mapping, posting } as never, null]);
        } else {
          held += 1;
          const reason = `missing ${result.missing.join('; ')}`;
          store?.ledger.setState(record.key, 'held', reason);
          this.warn(`${record.key} held: ${reason}`);
          send([null, { ...msg, held: result.missing } as never]);
        }
        (held ? warn : ok)(this, `${mapped} mapped · ${held} held`);
        done();
      } catch (error) {
        fail(this, done, error);
      }
    });
  }

  RED.nodes.registerType('sqx3-mapping', Mapping);
};
