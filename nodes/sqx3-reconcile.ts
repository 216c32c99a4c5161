import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type {
  SquareConfigNode,
  X3ConfigNode,
} from '../lib/node-red/config-types';
import {
  fail,
  ok,
  warn,
  busy,
  onInput,
  type Done,
  type Send,
} from '../lib/node-red/kit';
import {
  formatReconciliation,
  runReconciliation,
  summary,
  type RunRequest,
  type SkuLookup,
} from '../lib/reconcile';
import { differenceCount, runLine, shopLine } from '../lib/reconcile/format';
import type { MappingTables, PostingMode } from '../lib/ledger/types';
import { X3ReadBack } from '../lib/x3/read-back';

// Ties Square to X3 for a date range: Square's totals by category against
// the documents X3 holds, with the records behind every difference.

interface Def extends NodeDef {
  square: string;
  x3: string;
  mapping: string;
  locations?: string;
}

/** What a sqx3-mapping node shares with this one. */
interface MappingSource extends Node {
  mappingTables?: () => MappingTables | undefined;
  postingMode?: () => PostingMode;
  skuLookup?: () => SkuLookup | undefined;
}

type In = NodeMessageInFlow & { payload?: unknown };

function request(payload: unknown, locations: string[]): RunRequest {
  const p = (payload && typeof payload === 'object' ? payload : {}) as {
    from?: unknown;
    to?: unknown;
    locationId?: unknown;
    locationIds?: unknown;
  };
  const ids = Array.isArray(p.locationIds)
    ? p.locationIds.map(String)
    : typeof p.locationId === 'string'
      ? [p.locationId]
      : locations;
  return {
    from: typeof p.from === 'string' ? p.from : undefined,
    to: typeof p.to === 'string' ? p.to : undefined,
    locationIds: ids,
  };
}

export = function register(RED: NodeAPI) {
  function Reconcile(this: Node, config: Def) {
    RED.nodes.createNode(this, config);
    const square = RED.nodes.getNode(config.square) as SquareConfigNode | null;
    const x3 = RED.nodes.getNode(config.x3) as X3ConfigNode | null;
    if (!square || !x3) {
      this.status({ fill: 'red', shape: 'ring', text: 'missing config' });
      return;
    }
    const locations = (config.locations ?? '').split(/[\s,]+/).filter(Boolean);

    onInput(this, async (msg: In, send: Send, done: Done) => {
      const mapping = RED.nodes.getNode(config.mapping) as MappingSource | null;
      const tables = mapping?.mappingTables?.();
      if (!tables) {
        fail(this, done, new Error('choose a deployed sqx3-mapping node'));
        return;
      }
      busy(this, 'reconciling');
      try {
        const results = await runReconciliation(
          request(msg.payload, locations),
          {
            tables,
            mode: mapping?.postingMode?.() ?? 'invoice',
            skus: mapping?.skuLookup?.(),
            square: square.client,
            x3: X3ReadBack.of(x3.gateway),
          },
        );
        const tied = results.every((r) => r.tied);
        const differences = results.reduce((n, r) => n + differenceCount(r), 0);
        const range = `${results[0].from}..${results[0].to}`;
        (tied ? ok : warn)(
          this,
          tied ? `${range} ties` : `${range}: ${differences} differences`,
        );
        // short lines for the debug sidebar, which cuts a string at 1,000
        // characters; the full text for a file or an e-mail
        send({
          ...msg,
          topic: 'reconciliation',
          tied,
          payload: {
            summary: runLine(results),
            shops: results.map(shopLine),
            locations: results.map(summary),
          },
          report: results.map(formatReconciliation).join('\n\n'),
        } as never);
        done();
      } catch (error) {
        fail(this, done, error);
      }
    });
  }

  RED.nodes.registerType('sqx3-reconcile', Reconcile);
};
