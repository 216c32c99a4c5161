import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemo, type Demo } from '../../sandbox/demo';
import { seedDate } from '../nodes/kit';
import { countByType, expectedDay, settledDocuments } from './settle';

// Story: the example flow as shipped, with only its X3 server switched to
// classic SOAP. The seeded day lands in X3 exactly as it does through
// GraphQL (the counts the day needs, the receipts equal to what Square
// took), and not one GraphQL mutation reaches X3: every posting went
// through CAdxWebServiceXmlCC.

const packageRoot = path.resolve(__dirname, '..', '..', '..');

const cents = (text: string | null | undefined) =>
  text ? Math.round(Number(text) * 100) : 0;

describe('the main job over SOAP', () => {
  const userDir = path.join(os.tmpdir(), `sqx3-e2e-soap-${process.pid}`);
  let demo: Demo;

  before(async () => {
    demo = await startDemo({
      packageRoot,
      userDir,
      seedDate: seedDate(),
      x3Transport: 'soap',
    });
  });

  after(async () => {
    await demo?.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  test('the seeded day lands in X3 through SOAP only', async () => {
    const day = expectedDay(demo.square.store);
    assert.equal(day.sales.length, 30);
    const { invoices, entries } = await settledDocuments(demo, day.counts);

    assert.deepEqual(
      countByType({ customers: [], invoices, entries }),
      day.counts,
    );

    const references = [
      ...invoices.map((i) => i.customerReference),
      ...entries.map((e) => e.sourceDocument),
    ];
    assert.equal(new Set(references).size, references.length);

    const debited = entries
      .filter((e) => e.journalEntryType === 'SQRCP')
      .reduce(
        (sum, e) => sum + e.lines.reduce((s, l) => s + cents(l.debit), 0),
        0,
      );
    assert.equal(debited, day.taken);

    assert.equal(demo.x3.stats().graphqlMutations, 0);
  });
});
