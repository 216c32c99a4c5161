import type { NodeAPI } from 'node-red';
import { errorText } from './kit';

// The editor's "Test connection" button of a config node: POST
// /sqx3/<type without sqx3->/<id>/test, allowed to whoever may change that
// node type. The answer is always JSON with ok and message: a failure to
// connect is an answer for the user to read, not an HTTP error.

export function connectionTest<N>(
  RED: NodeAPI,
  type: string,
  test: (node: N) => Promise<{ message: string; [more: string]: unknown }>,
): void {
  RED.httpAdmin.post(
    `/sqx3/${type.replace(/^sqx3-/, '')}/:id/test`,
    RED.auth.needsPermission(`${type}.write`),
    async (req, res) => {
      const node = RED.nodes.getNode(String(req.params.id)) as N | null;
      if (!node) {
        res.status(404).json({ ok: false, message: 'deploy the node first' });
        return;
      }
      try {
        res.json({ ok: true, ...(await test(node)) });
      } catch (error) {
        res.json({ ok: false, message: errorText(error) });
      }
    },
  );
}
