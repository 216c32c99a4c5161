import { shorten } from './kit';
import type { X3Result } from './write-node';

// The one-line summaries the audit node gives the debug sidebar, which
// shows a string whole up to 1,000 characters: what happened to a record,
// and a list of records.

/** "sale:… posted: invoice …, entry …", or why it is held. */
export function summarise(
  key: string,
  state: string,
  msg: { held?: string[]; x3?: X3Result },
): string {
  if (msg.held) return `${key} held: missing ${msg.held.join('; ')}`;
  const x3 = msg.x3;
  if (!x3) return `${key} ${state}`;
  const parts = [
    ...x3.invoices.map((number) => `invoice ${number}`),
    ...x3.entries.map((number) => `entry ${number}`),
  ];
  if (x3.customer && parts.length === 0) parts.push(`customer ${x3.customer}`);
  // a replay of a posted record lists the same numbers: say none is new
  const already =
    state === 'posted' &&
    x3.sent === 0 &&
    x3.invoices.length + x3.entries.length > 0;
  return (
    `${key} ${already ? 'already posted' : state}` +
    (parts.length ? `: ${parts.join(', ')}` : '') +
    (already ? ' (nothing sent to X3)' : '')
  );
}

/** One line for the debug sidebar: how many records, the first few. */
export function listLine(
  rows: { key: string; state: string; detail?: string | null }[],
): string {
  // why a record waits is what the user came to the list for
  const why = (r: { state: string; detail?: string | null }) =>
    r.detail && (r.state === 'held' || r.state === 'failed')
      ? `: ${shorten(r.detail, 100)}`
      : '';
  const shown = rows.slice(0, 3).map((r) => `${r.key} ${r.state}${why(r)}`);
  const more = rows.length > 3 ? `, … ${rows.length - 3} more` : '';
  return (
    `${rows.length} record${rows.length === 1 ? '' : 's'}` +
    (shown.length ? `: ${shown.join(', ')}${more}` : '')
  );
}
