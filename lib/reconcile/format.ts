import { toDecimal } from '../x3/decimal';
import { label, ordered, type Figures } from './figures';
import type { Reconciliation } from './reconcile';

// A reconciliation as plain text: one line per category, Square against
// X3, then the records behind each difference.

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** Each column as wide as its widest cell, two spaces apart at least. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) =>
    Math.max(i === 0 ? 28 : 12, ...rows.map((r) => r[i].length + 2)),
  );
  return rows.map((r) =>
    r.map((cell, i) => pad(cell, widths[i], i > 0)).join(''),
  );
}

function figuresText(figures: Figures, money: (m: number) => string) {
  return ordered(Object.keys(figures))
    .filter((c) => figures[c])
    .map((c) => `${label(c)} ${money(figures[c] ?? 0)}`)
    .join(', ');
}

export function formatReconciliation(r: Reconciliation): string {
  const money = (minor: number) => toDecimal(minor, r.currency || 'USD');
  const out = [
    `Reconciliation ${r.from}..${r.to}, location ${r.locationId} ` +
      `(X3 site ${r.site}), ${r.currency}, ${r.mode} mode: ` +
      (r.tied ? 'ties to the cent' : 'DIFFERENCES'),
    ...table([
      ['category', 'Square', 'X3', 'difference'],
      ...r.rows.map((row) => [
        row.label,
        money(row.square),
        money(row.x3),
        row.difference ? money(row.difference) : '-',
      ]),
    ]),
  ];
  out.push(...legend(r.rows.map((row) => row.category)));
  for (const row of r.rows.filter((x) => x.records.length > 0)) {
    out.push(`  ${row.label}: ${row.records.join(', ')}`);
  }
  for (const stray of r.strays) {
    out.push(
      `  X3 ${stray.type} ${stray.number} (reference ` +
        `${stray.reference || 'none'}) matches no Square record`,
    );
  }
  for (const doc of r.otherCurrency) {
    out.push(
      `  X3 ${doc.type} ${doc.number} (${doc.claimedBy || 'no reference'}) ` +
        `is in ${doc.currency}, not ${r.currency}: not added`,
    );
  }
  const reasons = [...new Set(r.skipped.map((x) => x.reason))];
  for (const reason of reasons) {
    const keys = r.skipped.filter((x) => x.reason === reason);
    out.push(
      `skipped (${reason}): ${keys.length} record(s), ` +
        'nothing posted to X3, not compared',
    );
    for (const x of keys) {
      const figures = figuresText(x.square, money);
      out.push(`  ${x.key}${figures ? ` (${figures})` : ''}`);
    }
  }
  for (const line of r.records.filter((x) => x.note && !isSkipped(r, x))) {
    out.push(`  ${line.key}: ${line.note}`);
  }
  return out.join('\n');
}

// What the rows a finance reader asked about mean, said under the table
// only when they are in it.
const MEANINGS: [(category: string) => boolean, string][] = [
  [
    (c) => c === 'fees',
    'processing fees: what Square charged, less the fees it gave back ' +
      'with refunds',
  ],
  [
    (c) => c === 'receivable',
    'receivable left open: what the invoices charged to customers less ' +
      'what the receipts cleared; non-zero for a sale invoiced and not ' +
      'paid in the range, or paid and not invoiced',
  ],
  [
    (c) => c.startsWith('tender:'),
    'tender <account>: what came in through that clearing account, ' +
      'every Square tender the mapping sends there added up',
  ],
];

function legend(categories: string[]): string[] {
  return MEANINGS.filter(([applies]) => categories.some(applies)).map(
    ([, meaning]) => `  (${meaning})`,
  );
}

function isSkipped(r: Reconciliation, line: { key: string }) {
  return r.skipped.some((x) => x.key === line.key);
}

/** The figures a flow or a report needs, amounts as decimal strings. */
export function summary(r: Reconciliation) {
  const money = (minor: number) => toDecimal(minor, r.currency || 'USD');
  return {
    from: r.from,
    to: r.to,
    locationId: r.locationId,
    site: r.site,
    currency: r.currency,
    tied: r.tied,
    rows: r.rows.map((row) => ({
      category: row.category,
      label: row.label,
      square: money(row.square),
      x3: money(row.x3),
      difference: money(row.difference),
      records: row.records,
    })),
    strays: r.strays,
    skipped: r.skipped.map((x) => ({
      key: x.key,
      reason: x.reason,
      square: Object.fromEntries(
        Object.entries(x.square).map(([c, m]) => [c, money(m ?? 0)]),
      ),
    })),
    otherCurrency: r.otherCurrency,
  };
}

// Node-RED's debug sidebar cuts a string at 1,000 characters, so what
// the sidebar shows is one short line per location plus one for the run;
// the full text stays in formatReconciliation for a file or an e-mail.

const SHOWN_KEYS = 3;
const MAX_LINE = 600;

/** The rows, strays and foreign documents a reader has to look at. */
export function differenceCount(r: Reconciliation): number {
  return (
    r.rows.filter((row) => row.records.length).length +
    r.strays.length +
    r.otherCurrency.length
  );
}

function range(r: Reconciliation): string {
  return r.from === r.to ? r.from : `${r.from}..${r.to}`;
}

function some(items: string[]): string {
  const more = items.length - SHOWN_KEYS;
  return items.slice(0, SHOWN_KEYS).join(', ') + (more > 0 ? ` +${more}` : '');
}

/** One location in a line: tied and its main figures, or what differs. */
export function shopLine(r: Reconciliation): string {
  const money = (minor: number) => toDecimal(minor, r.currency || 'USD');
  const head = `${r.locationId} (X3 site ${r.site}) ${range(r)}`;
  const parts: string[] = [];
  if (r.tied) {
    const shown = ['netSales', 'tax', 'tips', 'refunds'];
    const figures = r.rows
      .filter((row) => shown.includes(row.category) && row.square)
      .map((row) => `${row.label} ${money(row.square)}`);
    parts.push(['ties to the cent', ...figures].join(', '));
  } else {
    const count = differenceCount(r);
    parts.push(`${count} difference${count === 1 ? '' : 's'}`);
  }
  for (const row of r.rows.filter((x) => x.difference || x.records.length)) {
    const keys = row.records.length ? ` (${some(row.records)})` : '';
    parts.push(
      `${row.label} Square ${money(row.square)} X3 ${money(row.x3)}${keys}`,
    );
  }
  if (r.strays.length) {
    const numbers = r.strays.map((s) => `${s.type} ${s.number}`);
    parts.push(`X3 ${some(numbers)} match no Square record`);
  }
  if (r.otherCurrency.length) {
    const numbers = r.otherCurrency.map((d) => `${d.number} ${d.currency}`);
    parts.push(`not added, other currency: ${some(numbers)}`);
  }
  if (r.skipped.length) {
    parts.push(`${r.skipped.length} skipped, not compared`);
  }
  const line = `${head}: ${parts.join('; ')}`;
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE - 1)}…`;
}

/** The whole run in a line: how many locations tie, how many differ. */
export function runLine(results: Reconciliation[]): string {
  const days = results.length ? range(results[0]) : 'nothing';
  const differing = results.filter((r) => !r.tied);
  const one = results.length === 1;
  const locations = `location${one ? '' : 's'}`;
  if (differing.length === 0) {
    const tie = one ? 'ties' : 'tie';
    return `${days}: ${results.length} ${locations} ${tie} to the cent`;
  }
  const count = differing.reduce((n, r) => n + differenceCount(r), 0);
  return (
    `${days}: ${differing.length} of ${results.length} ${locations} ` +
    `with differences (${count}); the full report is in msg.report`
  );
}
