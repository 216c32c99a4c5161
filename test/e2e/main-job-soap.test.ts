import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemo, type Demo } from '../../sandbox/demo';
import { LOCATIONS } from '../../sandbox/seed/business';
import { seedDate } from '../nodes/kit';

// Story: the example flow as shipped, with only its X3 server switched to
// classic SOAP. The seeded day lands in X3 exactly as it does through
// GraphQL (the same counts, the receipts equal to what Square took), and
// not one GraphQL mutation reaches X3: every posting went through
// CAdxWebServiceXmlCC.

const ours = new Set(LOCATIONS.map((location) => location.id));
const packageRoot = path.resolve(__dirname, '..', '..', '..');

const cents = (text: string | null | undefined) =>
  text ? Math.round(Number(text) * 100) : 0;

async function until<T>(
  what: string,
  probe: () => T | undefined,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

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
    const sales = [...demo.square.store.orders.values()].filter(
      (o) =>
        ours.has(o.location_id) &&
        o.state === 'COMPLETED' &&
        (o.line_items ?? []).length > 0 &&
        !(o.returns ?? []).length,
    );

    await until('every sale and refund in X3', () => {
      const { entries } = demo.x3.documents();
      const receipts = entries.filter((e) => e.journalEntryType === 'SQRCP');
      const reversals = entries.filter((e) => e.journalEntryType === 'SQREV');
      return receipts.length >= 30 && reversals.length >= 2 ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { invoices, entries } = demo.x3.documents();

    const count = (type: string) =>
      entries.filter((e) => e.journalEntryType === type).length;
    assert.equal(invoices.filter((i) => i.invoiceType === 'SQINV').length, 30);
    assert.equal(invoices.filter((i) => i.invoiceType === 'SQCRM').length, 1);
    assert.equal(count('SQRCP'), 30);
    assert.equal(count('SQREV'), 2);
    assert.equal(count('SQFEE'), 27);

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
    const taken = sales.reduce((s, o) => s + (o.total_money?.amount ?? 0), 0);
    assert.equal(debited, 123_730);
    assert.equal(debited, taken);

    assert.equal(demo.x3.stats().graphqlMutations, 0);
  });
});
