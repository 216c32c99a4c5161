import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { CustomerDoc, InvoiceDoc, JournalEntryDoc } from '../ledger/types';
import { X3Error } from './errors';
import { customerView, entryView, invoiceView, X3Setup } from './view-models';

// The data of each X3 mutation is rendered from a Mustache template, so a
// folder set up differently changes a template, not code. Values are
// escaped for JSON strings, and the output must parse as JSON.

export interface X3Templates {
  customer?: string;
  invoice?: string;
  entry?: string;
}

const FILES = {
  customer: 'customer.mustache',
  invoice: 'sales-invoice.mustache',
  entry: 'journal-entry.mustache',
} as const;

// Beside the compiled file after the build; in the source tree when the
// tests run on a plain tsc output.
const FOLDERS = [
  path.join(__dirname, 'templates'),
  path.join(__dirname, '..', '..', '..', 'lib', 'x3', 'templates'),
];

const cache = new Map<string, string>();

export function defaultTemplate(name: keyof X3Templates): string {
  return bundledTemplate(FILES[name]);
}

/** A template file shipped in lib/x3/templates, read once. */
export function bundledTemplate(file: string): string {
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const folder = FOLDERS.find((f) => existsSync(path.join(f, file)));
  if (!folder) {
    throw new X3Error('config', `X3 template ${file} not found`);
  }
  const text = readFileSync(path.join(folder, file), 'utf8');
  cache.set(file, text);
  return text;
}

export function jsonEscape(value: unknown): string {
  return JSON.stringify(String(value)).slice(1, -1);
}

export function renderJson(
  template: string,
  view: object,
  what: string,
): Record<string, unknown> {
  const text = Mustache.render(template, view, {}, { escape: jsonEscape });
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new X3Error(
      'template',
      `the ${what} template did not give JSON: ${(error as Error).message}`,
    );
  }
}

export function renderInvoice(
  doc: InvoiceDoc,
  setup: X3Setup,
  template = defaultTemplate('invoice'),
): Record<string, unknown> {
  return renderJson(template, invoiceView(doc, setup), 'invoice');
}

export function renderEntry(
  doc: JournalEntryDoc,
  setup: X3Setup,
  template = defaultTemplate('entry'),
): Record<string, unknown> {
  return renderJson(template, entryView(doc, setup), 'entry');
}

export function renderCustomer(
  doc: CustomerDoc,
  template = defaultTemplate('customer'),
): Record<string, unknown> {
  return renderJson(template, customerView(doc), 'customer');
}
