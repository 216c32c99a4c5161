import type { X3Document } from '../ledger/types';
import { isRetryable } from './backoff';
import { documentTurns as inTurn } from './turns';

// X3 has no idempotency key, so "exactly once" is built here: the ledger
// says `posting` before X3 is called, every document carries its own
// reference, and whenever the outcome of an earlier call is unknown the
// reference is looked up in X3 before anything is sent again. Within one
// process, two messages for the same document (a webhook and a poll, a
// replay and a resume) take turns, so the second finds the first's work.

export interface DocumentRow {
  state: 'posting' | 'posted' | 'failed';
  number?: string | null;
}

export interface DocumentLedger {
  document(docKey: string): DocumentRow | undefined;
  markPosting(
    docKey: string,
    recordKey: string,
    type: string,
    reference: string,
  ): void;
  markPosted(docKey: string, number: string): void;
  markDocumentFailed(docKey: string, message: string): void;
  /** runs the writes of work as one transaction (lib/store Ledger) */
  atomically<T>(work: () => T): T;
  /** the same, resolving once the commit is on disk: X3 may be called */
  atomicallyBeforeX3<T>(work: () => T): Promise<T>;
}

/**
 * Ledger writes of the caller's step, committed in the same transaction
 * as the document's own: `posting` with the first write of the document
 * (its `posting` mark, or its number when X3 already holds it), and
 * `settled` with its outcome.
 */
export interface PostHooks {
  posting?: () => void;
  settled?: (result: PostResult) => void;
}

export interface DocumentPoster {
  findDocument(doc: X3Document): Promise<string | null>;
  postDocument(doc: X3Document): Promise<string>;
}

export type PostOutcome =
  'posted' | 'already-posted' | 'found-in-x3' | 'already-in-x3';

export interface PostResult {
  docKey: string;
  number: string;
  outcome: PostOutcome;
}

const ALREADY = /already (registered|exists?|recorded|used)/i;
const NUMBER = /already [a-z]+\b.*?\b([A-Z][A-Z0-9-]*\d)\b/;

/**
 * X3's refusal of a create because the reference is on a document it
 * holds: the document's number when the message names it, null when it
 * only says so, undefined for any other error.
 */
export function alreadyRegistered(
  error: unknown,
  reference: string,
): string | null | undefined {
  const err = error as { messages?: unknown; message?: unknown } | undefined;
  const messages = Array.isArray(err?.messages)
    ? err.messages.map(String)
    : [String(err?.message ?? '')];
  const hit = messages.find((m) => m.includes(reference) && ALREADY.test(m));
  if (hit === undefined) return undefined;
  const match = NUMBER.exec(hit.replace(reference, ''));
  return match ? match[1] : null;
}

/**
 * Posts doc unless the ledger or X3 already holds it. The X3 client
 * retries a failed post (looking the reference up before each new try);
 * what it gives up on is left `posting` when the outcome is open.
 */
export function postOnce(
  ledger: DocumentLedger,
  x3: DocumentPoster,
  recordKey: string,
  doc: X3Document,
  hooks: PostHooks = {},
): Promise<PostResult> {
  return inTurn(ledger, doc.docKey, () =>
    postNow(ledger, x3, recordKey, doc, hooks),
  );
}

async function postNow(
  ledger: DocumentLedger,
  x3: DocumentPoster,
  recordKey: string,
  doc: X3Document,
  hooks: PostHooks,
): Promise<PostResult> {
  const settle = (number: string, outcome: PostOutcome): PostResult => {
    const result = { docKey: doc.docKey, number, outcome };
    const known = outcome !== 'already-posted';
    try {
      ledger.atomically(() => {
        if (known && outcome !== 'posted') hooks.posting?.();
        if (known) ledger.markPosted(doc.docKey, number);
        hooks.settled?.(result);
      });
    } catch (error) {
      // The step's own writes failed: the number at least is kept, or the
      // document stays `posting` and the next run finds it by reference.
      if (known) {
        try {
          ledger.markPosted(doc.docKey, number);
        } catch {
          // reported by the error below
        }
      }
      throw error;
    }
    return result;
  };

  const row = ledger.document(doc.docKey);
  if (row?.state === 'posted' && row.number) {
    return settle(row.number, 'already-posted');
  }

  try {
    // Unknown outcome from an earlier run (crash, timeout): ask X3 first.
    if (row !== undefined) {
      const found = await x3.findDocument(doc);
      if (found) return settle(found, 'found-in-x3');
    }

    // Throws if the ledger cannot record it: then X3 is not called.
    await ledger.atomicallyBeforeX3(() => {
      hooks.posting?.();
      ledger.markPosting(doc.docKey, recordKey, doc.type, doc.reference);
    });
    const number = await x3.postDocument(doc);
    return settle(number, 'posted');
  } catch (error) {
    const existing = alreadyRegistered(error, doc.reference);
    const number = existing === null ? await x3.findDocument(doc) : existing;
    if (number) return settle(number, 'already-in-x3');

    const message = error instanceof Error ? error.message : String(error);
    // A retryable error leaves the outcome open: keep `posting` so the
    // next run looks the reference up before posting again. A document
    // never marked posting (the ledger refused) has nothing to mark.
    const stored = ledger.document(doc.docKey);
    if (!isRetryable(error) && stored && stored.state !== 'posted') {
      ledger.markDocumentFailed(doc.docKey, message);
    }
    throw error;
  }
}
