import type { X3Document } from '../ledger/types';
import { isRetryable, withBackoff, type BackoffOptions } from './backoff';

// X3 has no idempotency key, so "exactly once" is built here: the ledger
// says `posting` before X3 is called, every document carries its own
// reference, and whenever the outcome of an earlier call is unknown the
// reference is looked up in X3 before anything is sent again.

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
}

export interface DocumentPoster {
  findDocument(doc: X3Document): Promise<string | null>;
  postDocument(doc: X3Document): Promise<string>;
}

export type PostOutcome = 'posted' | 'already-posted' | 'found-in-x3';

export interface PostResult {
  docKey: string;
  number: string;
  outcome: PostOutcome;
}

export async function postOnce(
  ledger: DocumentLedger,
  x3: DocumentPoster,
  recordKey: string,
  doc: X3Document,
  backoff?: BackoffOptions,
): Promise<PostResult> {
  const row = ledger.document(doc.docKey);
  if (row?.state === 'posted' && row.number) {
    return { docKey: doc.docKey, number: row.number, outcome: 'already-posted' };
  }

  // Unknown outcome from an earlier run (crash, timeout): ask X3 first.
  let uncertain = row !== undefined;
  const attempt = async (): Promise<PostResult> => {
    if (uncertain) {
      const found = await x3.findDocument(doc);
      if (found) {
        ledger.markPosted(doc.docKey, found);
        return { docKey: doc.docKey, number: found, outcome: 'found-in-x3' };
      }
    }

    ledger.markPosting(doc.docKey, recordKey, doc.type, doc.reference);
    uncertain = true;
    const number = await x3.postDocument(doc);
    ledger.markPosted(doc.docKey, number);
    return { docKey: doc.docKey, number, outcome: 'posted' };
  };

  try {
    return backoff ? await withBackoff(attempt, backoff) : await attempt();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A retryable error leaves the outcome open: keep `posting` so the
    // next run looks the reference up before posting again.
    if (!isRetryable(error)) ledger.markDocumentFailed(doc.docKey, message);
    throw error;
  }
}
