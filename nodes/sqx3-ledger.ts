import * as path from 'node:path';
import type { NodeAPI, NodeDef } from 'node-red';
import { Ledger } from '../lib/store/ledger';
import { Users, broken, errorText } from '../lib/node-red/kit';
import type { LedgerConfigNode } from '../lib/node-red/config-types';

interface LedgerDef extends NodeDef {
  file?: string;
}

export = function register(RED: NodeAPI) {
  function LedgerNode(this: LedgerConfigNode, config: LedgerDef) {
    RED.nodes.createNode(this, config);
    this.users = new Users();

    const userDir = RED.settings.userDir ?? process.cwd();
    const name = config.file || 'sqx3-ledger.sqlite';
    const file = name === ':memory:' ? name : path.resolve(userDir, name);
    try {
      this.ledger = Ledger.open(file);
      this.log(`sync ledger open at ${file}`);
    } catch (error) {
      broken(this, 'sqx3-ledger.status.unavailable');
      this.error(
        `sync ledger ${file} could not be opened: ${errorText(error)}`,
      );
      throw error;
    }

    this.on('close', (_removed: boolean, done: () => void) => {
      this.ledger.close();
      done();
    });
  }

  RED.nodes.registerType('sqx3-ledger', LedgerNode);
};
