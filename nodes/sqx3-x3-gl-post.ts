import type { NodeAPI } from 'node-red';
import { registerWriteNode } from '../lib/node-red/write-node';

// Posts the journal entries of a sale: receipt, revenue, fees.

export = function register(RED: NodeAPI) {
  registerWriteNode(RED, 'sqx3-x3-gl-post', {
    topics: ['sale'],
    mine: (doc) => doc.type === 'entry',
  });
};
