import type { Node } from 'node-red';
import type { EventEmitter } from 'node:events';
import type { LedgerHealth, Users } from './kit';

// What the config nodes offer the nodes that use them. The classes behind
// these fields live in lib/ and know nothing of Node-RED.

export interface LedgerConfigNode extends Node {
  // Typed loosely here so node files depend on lib/store only once.
  ledger: import('../store/ledger').Ledger;
  users: Users;
  /** whether the ledger works, at every look the ledger node takes */
  health: LedgerHealth;
}

export interface SquareConfigNode extends Node {
  client: import('../square/client').SquareClient;
  /** 'wake' is emitted when a webhook says something changed */
  bus: EventEmitter;
  /** locations to sync; empty = all */
  locationIds: string[];
  users: Users;
  /** the token source behind client; its state 'reauthorise' stops work */
  tokens?: import('../square/token-manager').SquareTokenManager;
  /** a node using this config shows its token trouble and reports it */
  register?(node: Node): void;
  deregister?(node: Node): void;
}

export interface X3ConfigNode extends Node {
  gateway: import('../x3/gateway').X3Gateway;
  users: Users;
  /** a node using this config shows its token trouble and reports it */
  register?(node: Node): void;
  deregister?(node: Node): void;
}
