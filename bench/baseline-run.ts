import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CREATE_CUSTOMER,
  CREATE_ENTRY,
  CREATE_INVOICE,
} from '../lib/x3/operations';
import { DEMO_JWT_SECRET, DEMO_SQUARE_TOKEN } from '../sandbox/demo';
import type { X3Documents } from '../sandbox/x3/types';
import type { BaselineInput, BaselineOutput } from './baseline';
import { squareRequests, type SquareEmulator, type X3Emulator } from './stack';

// Runs the raw baseline in a child process against the emulators the
// connector just used: X3 is reset to its setup first, and the requests
// are counted by the emulators, as for the connector.

export interface BaselineRun extends BaselineOutput {
  squareRequests: number;
  x3Requests: number;
}

/** One create request per document the connector left in X3. */
export function writeBodies(
  docs: X3Documents,
  skipCustomers: Set<string>,
  file: string,
): number {
  const out = fs.openSync(file, 'w');
  let count = 0;
  const write = (query: string, data: unknown) => {
    fs.writeSync(out, `${JSON.stringify({ query, variables: { data } })}\n`);
    count++;
  };
  try {
    for (const c of docs.customers) {
      if (skipCustomers.has(c.code)) continue;
      const { uuid: _u, createdAt: _c, updatedAt: _m, ...fields } = c;
      write(CREATE_CUSTOMER, fields);
    }
    for (const inv of docs.invoices) {
      write(CREATE_INVOICE, {
        salesSite: inv.salesSite,
        invoiceType: inv.invoiceType,
        invoiceDate: inv.invoiceDate,
        billToCustomer: inv.billToCustomer,
        currency: inv.currency,
        customerReference: inv.customerReference,
        lines: inv.lines.map((l) => ({
          product: l.product,
          description: l.description,
          quantity: l.quantity,
          grossPrice: l.grossPrice,
          discountAmount: l.discountAmount,
          taxCode: l.taxCode,
          taxAmount: l.taxAmount,
        })),
      });
    }
    for (const e of docs.entries) {
      write(CREATE_ENTRY, {
        journalEntryType: e.journalEntryType,
        site: e.site,
        accountingDate: e.accountingDate,
        transactionCurrency: e.transactionCurrency,
        description: e.description,
        sourceDocument: e.sourceDocument,
        lines: e.lines.map((l) => ({
          account: l.account,
          ...(l.businessPartner ? { businessPartner: l.businessPartner } : {}),
          ...(l.debit ? { debit: l.debit } : {}),
          ...(l.credit ? { credit: l.credit } : {}),
          description: l.description,
        })),
      });
    }
  } finally {
    fs.closeSync(out);
  }
  return count;
}

export async function runBaseline(opts: {
  square: SquareEmulator;
  x3: X3Emulator;
  squareUrl: string;
  x3Url: string;
  window: { begin: string; end: string };
  skipCustomers: Set<string>;
  workDir: string;
}): Promise<BaselineRun> {
  const bodiesFile = path.join(opts.workDir, `x3-bodies-${process.pid}.jsonl`);
  writeBodies(opts.x3.documents(), opts.skipCustomers, bodiesFile);
  opts.x3.reset();

  const input: BaselineInput = {
    squareUrl: opts.squareUrl,
    squareToken: DEMO_SQUARE_TOKEN,
    x3Url: opts.x3Url,
    endpoint: 'SEED',
    jwt: { clientId: 'sqx3-demo-app', secret: DEMO_JWT_SECRET, user: 'SQX3' },
    window: opts.window,
    bodiesFile,
  };
  const inputFile = path.join(opts.workDir, `baseline-${process.pid}.json`);
  fs.writeFileSync(inputFile, JSON.stringify(input));

  const squareBefore = squareRequests(opts.square);
  const x3Before = opts.x3.stats().requests;
  const output = await runChild(path.join(__dirname, 'baseline.js'), inputFile);
  fs.rmSync(bodiesFile, { force: true });
  fs.rmSync(inputFile, { force: true });
  return {
    ...output,
    squareRequests: squareRequests(opts.square) - squareBefore,
    x3Requests: opts.x3.stats().requests - x3Before,
  };
}

function runChild(script: string, inputFile: string): Promise<BaselineOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, inputFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`baseline exited ${code}: ${stderr.trim()}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
    });
  });
}
