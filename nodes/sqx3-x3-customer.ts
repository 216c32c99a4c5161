import type { Node, NodeAPI, NodeDef } from 'node-red';
import type {
  LedgerConfigNode,
  X3ConfigNode,
} from '../lib/node-red/config-types';
import {
  LedgerTrouble,
  errorText,
  fail,
  ok,
  type Done,
  type Send,
  onInput,
} from '../lib/node-red/kit';
import type { WriteMsg } from '../lib/node-red/write-node';
import { syncCustomer } from '../lib/sync/customer-step';

interface Def extends NodeDef {
  x3: string;
  ledger: string;
  /** 'x3': X3's sequence numbers new customers; else the derived code */
  numbering?: string;
}

export = function register(RED: NodeAPI) {
  function X3Customer(this: Node, config: Def) {
    RED.nodes.createNode(this, config);
    const x3 = RED.nodes.getNode(config.x3) as X3ConfigNode | null;
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    if (!x3 || !store) {
      this.status({ fill: 'red', shape: 'ring', text: 'missing config' });
      return;
    }
    store.users.add(this);
    this.on('close', () => store.users.remove(this));
    x3.register?.(this);
    this.on('close', () => x3.deregister?.(this));
    let synced = 0;
    let counting = false;
    const trouble = new LedgerTrouble(this, store.health, () => {
      if (counting) ok(this, `${synced} customers synced`);
      else this.status({});
    });
    const numbering = config.numbering === 'x3' ? 'x3' : 'derived';

    onInput(this, async (msg: WriteMsg, send: Send, done: Done) => {
      const record = msg.payload;
      if (record?.kind === 'refund') {
        send(msg);
        done();
        return;
      }
      if (!msg.mapping) {
        fail(this, done, new Error(`${record?.key} has no msg.mapping`));
        return;
      }
      counting = true;
      try {
        const outcome = await syncCustomer(
          store.ledger,
          x3.gateway,
          record,
          msg.mapping,
          { numbering },
        );
        if (outcome.action === 'kept') {
          this.log(`${record.key} deleted in Square, kept in X3`);
        }
        if (outcome.action === 'created' || outcome.action === 'updated') {
          synced += 1;
          this.log(
            `${record.key} X3 customer ${outcome.code} ${outcome.action}`,
          );
        }
        const x3Result = msg.x3 ?? { invoices: [], entries: [] };
        x3Result.customer = outcome.code;
        const mapping = outcome.code
          ? { ...msg.mapping, customer: outcome.code }
          : msg.mapping;
        ok(this, `${synced} customers synced`);
        send({ ...msg, mapping, x3: x3Result });
        done();
      } catch (error) {
        try {
          store.ledger.setState(record.key, 'failed', errorText(error));
        } catch {
          // reported below with the original cause
        }
        trouble.fail(done, error);
      }
    });
  }

  RED.nodes.registerType('sqx3-x3-customer', X3Customer);
};
