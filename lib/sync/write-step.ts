import type { PostingPlan, X3Document } from '../ledger/types';
import type { BackoffOptions } from './backoff';
import {
  postOnce,
  type DocumentLedger,
  type DocumentPoster,
  type PostResult,
} from './post-once';

// The part every X3 write node shares: post this node's share of a
// record's documents, each exactly once, and mark the record posted once
// every document of its plan is in X3.

export interface StepLedger extends DocumentLedger {
  setState(key: string, state: string, detail?: string): void;
  trail(key: string, stage: string, detail: string): void;
}

export interface StepOptions {
  ledger: StepLedger;
  x3: DocumentPoster;
  plan: PostingPlan;
  mine: (doc: X3Document) => boolean;
  backoff?: BackoffOptions;
}

export interface StepResult {
  results: PostResult[];
  /** true when the whole plan is now in X3 */
  complete: boolean;
}

export async function postStep(opts: StepOptions): Promise<StepResult> {
  const { ledger, plan } = opts;
  const docs = plan.documents.filter(opts.mine);
  const results: PostResult[] = [];

  if (docs.length > 0) ledger.setState(plan.recordKey, 'posting');
  for (const doc of docs) {
    const result = await postOnce(ledger, opts.x3, plan.recordKey, doc, opts.backoff);
    results.push(result);
    ledger.trail(plan.recordKey, stageOf(result), `${doc.kind} ${result.number}`);
  }

  const complete = plan.documents.every(
    (doc) => ledger.document(doc.docKey)?.state === 'posted',
  );
  if (complete && docs.length > 0) {
    const numbers = plan.documents
      .map((doc) => ledger.document(doc.docKey)?.number)
      .join(', ');
    ledger.setState(plan.recordKey, 'posted', numbers);
  }
  return { results, complete };
}

function stageOf(result: PostResult): string {
  if (result.outcome === 'posted') return 'posted-document';
  if (result.outcome === 'found-in-x3') return 'found-in-x3';
  return 'duplicate';
}
