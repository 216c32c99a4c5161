import type { NodeAPI } from 'node-red';
import { registerWriteNode } from '../lib/node-red/write-node';

// Posts the sales invoice of a sale, and the credit memo of an itemised
// return.

export = function register(RED: NodeAPI) {
  registerWriteNode(RED, 'sqx3-x3-invoice', {
    topics: ['sale', 'refund'],
    mine: (doc) => doc.type === 'invoice',
  });
};
