import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import {
  SQUARE_TOKEN,
  allModules,
  helper,
  lastStatus,
  ledgerNode,
  load,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  tab,
  until,
  type FlowNode,
} from './kit';

// Story: the Node-RED server keeps its own time zone while the poll's
// business calendar runs in the shop's. The status names the zone of the
// time it shows, so "next 20:03" is not read in the server's time.

const DELAY_SEC = 3600;

function flow(squareUrl: string, timeZone: string): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', squareUrl),
    ledgerNode('cfg-ledger'),
    {
      id: 'poll',
      type: 'sqx3-square-poll',
      z: 'tab1',
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      timeZone,
      startDelaySec: String(DELAY_SEC),
      wires: [['records']],
    },
    sink('records'),
  ];
}

/** HH:MM of an instant in a zone, as a clock on that shop's wall shows. */
function wallClock(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

describe('sqx3-square-poll: the status names its time zone', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let url: string;

  before(async () => {
    ({ square, url } = await startSquare(seedDate()));
  });

  after(async () => {
    await helper.unload();
    await square.stop();
  });

  for (const [timeZone, zone] of [
    ['America/New_York', /^E[SD]T$/],
    ['Asia/Kolkata', /^GMT\+5:30$/],
  ] as const) {
    test(`${timeZone}: the next run in the shop's time, named`, async () => {
      const start = Date.now() + DELAY_SEC * 1000;
      await load(modules, flow(url, timeZone), {
        'cfg-square': { accessToken: SQUARE_TOKEN },
      });
      const node = helper.getNode('poll');
      await until('a status', () =>
        /^next /.test(lastStatus(node)?.text ?? ''),
      );
      const end = Date.now() + DELAY_SEC * 1000;

      const text = lastStatus(node)?.text ?? '';
      const [, time, name] = /^next (\d\d:\d\d) (\S+) · 0 synced$/.exec(
        text,
      ) ?? [text];
      assert.ok(time, text);
      assert.match(name, zone);
      assert.ok(
        [wallClock(start, timeZone), wallClock(end, timeZone)].includes(time),
        `${time} is the run's time in ${timeZone}`,
      );
      await helper.unload();
    });
  }
});
