import type { PostingPlan, X3Document } from '../ledger/types';
import {
  postOnce,
  type DocumentLedger,
  type DocumentPoster,
  type PostResult,
} from './post-once';

// The part every X3 write node shares: post this node's share of a
// record's documents, each exactly once, and mark the record posted once
// every document of its plan is in X3. A record whose share is already in
// X3 (a duplicate webhook, an overlapping poll, a replay) is not moved
// back to posting: it gets a trail line per document and nothing else.

export interface StepLedger extends DocumentLedger {
  setState(key: string, state: string, detail?: string): void;
  trail(key: string, stage: string, detail: string): void;
  stateOf(key: string): string | undefined;
}

export interface StepOptions {
  ledger: StepLedger;
  x3: DocumentPoster;
  plan: PostingPlan;
  mine: (doc: X3Document) => boolean;
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
  const isPosted = (row?: { state: string }) => row?.state === 'posted';
  const wasPosted = ledger.stateOf(plan.recordKey) === 'posted';

  // The record goes to `posting` in the same transaction as the first
  // document's first write, and to `posted` with the last one's number.
  // A document already posted writes nothing, so a step whose documents
  // all are never moves the record.
  let moved = false;
  const posting = () => {
    if (moved) return;
    moved = true;
    // a later step of the same record (GL after invoice) finds it moved
    if (ledger.stateOf(plan.recordKey) === 'posting') return;
    ledger.setState(plan.recordKey, 'posting');
  };
  let complete: boolean | undefined;
  const finish = (lastOne: PostResult) => {
    // this step's documents are settled; the others are read again, as a
    // concurrent step (a replay) may have posted them meanwhile
    const settled = new Map(
      [...results, lastOne].map((r) => [r.docKey, r.number]),
    );
    const rows = plan.documents.map((doc) => {
      const number = settled.get(doc.docKey);
      return number === undefined
        ? ledger.document(doc.docKey)
        : { state: 'posted', number };
    });
    complete = rows.every(isPosted);
    // a repeat (duplicate webhook, replay) of a posted record adds nothing
    const repeat =
      wasPosted &&
      [...results, lastOne].every((r) => r.outcome === 'already-posted');
    if (!complete || repeat) return;
    const numbers = rows.map((row) => row?.number).join(', ');
    ledger.setState(plan.recordKey, 'posted', numbers);
  };

  for (const [index, doc] of docs.entries()) {
    const last = index === docs.length - 1;
    const result = await postOnce(ledger, opts.x3, plan.recordKey, doc, {
      posting,
      settled: (done) => {
        // a document posted now has its own 'posted' line from the mark
        if (done.outcome !== 'posted') {
          ledger.trail(plan.recordKey, stageOf(done), detailOf(doc, done));
        }
        if (last) finish(done);
      },
    });
    results.push(result);
  }

  // finish ran in the last document's transaction, unless that failed
  complete ??= plan.documents.every((doc) =>
    isPosted(ledger.document(doc.docKey)),
  );
  return { results, complete };
}

function stageOf(result: PostResult): string {
  if (result.outcome === 'already-posted') return 'duplicate';
  return result.outcome;
}

function detailOf(doc: X3Document, result: PostResult): string {
  const what = `${doc.kind} ${result.number}`;
  if (result.outcome === 'already-posted') {
    return `${what} already posted, nothing sent to X3`;
  }
  if (result.outcome === 'found-in-x3') {
    return `${what} found in X3 by reference ${doc.reference}`;
  }
  if (result.outcome === 'already-in-x3') {
    return `${what}: X3 already holds reference ${doc.reference}`;
  }
  return what;
}
