import type { Node, NodeAPI, NodeDef } from 'node-red';
import type {
  LedgerConfigNode,
  X3ConfigNode,
} from '../lib/node-red/config-types';
import { onInput } from '../lib/node-red/kit';
import { writeHandler } from '../lib/node-red/write-node';

// Posts the journal entries of a sale: receipt, revenue, fees.

interface Def extends NodeDef {
  x3: string;
  ledger: string;
}

export = function register(RED: NodeAPI) {
  function X3GlPost(this: Node, config: Def) {
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

    onInput(
      this,
      writeHandler(this, {
        store,
        x3,
        topics: ['sale'],
        mine: (doc) => doc.type === 'entry',
      }),
    );
  }

  RED.nodes.registerType('sqx3-x3-gl-post', X3GlPost);
};
