import type { NodeAPI } from 'node-red';
import { registerWriteNode } from '../lib/node-red/write-node';

// Posts the reversal entries of a refund: refunded revenue, tax and
// tender, and any fee given back.

export = function register(RED: NodeAPI) {
  registerWriteNode(RED, 'sqx3-x3-gl-reversal', {
    topics: ['refund'],
    mine: (doc) => doc.type === 'entry',
  });
};
