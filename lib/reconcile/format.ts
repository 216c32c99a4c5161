import { toDecimal } from '../x3/decimal';
import type { Reconciliation } from './reconcile';

// A reconciliation as plain text: one line per category, Square against
// X3, then the records behind each difference.

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function formatReconciliation(r: Reconciliation): string {
  const money = (minor: number) => toDecimal(minor, r.currency || 'USD');
  const out = [
    `Reconciliation ${r.from}..${r.to}, location ${r.locationId} ` +
      `(X3 site ${r.site}), ${r.currency}, ${r.mode} mode: ` +
      (r.tied ? 'ties to the cent' : 'DIFFERENCES'),
    `${pad('category', 28)}${pad('Square', 12, true)}${pad('X3', 12, true)}` +
      `${pad('difference', 12, true)}`,
  ];
  for (const row of r.rows) {
    out.push(
      `${pad(row.label, 28)}${pad(money(row.square), 12, true)}` +
        `${pad(money(row.x3), 12, true)}` +
        `${pad(row.difference ? money(row.difference) : '-', 12, true)}`,
    );
  }
  for (const row of r.rows.filter((x) => x.records.length > 0)) {
    out.push(`  ${row.label}: ${row.records.join(', ')}`);
  }
  for (const stray of r.strays) {
    out.push(
      `  X3 ${stray.type} ${stray.number} (reference ` +
        `${stray.reference || 'none'}) matches no Square record`,
    );
  }
  for (const line of r.records.filter((x) => x.note)) {
    out.push(`  ${line.key}: ${line.note}`);
  }
  return out.join('\n');
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
  };
}
