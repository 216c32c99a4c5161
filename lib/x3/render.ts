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
  const text = String(value);
  return jsonPlain(text) ? text : JSON.stringify(text).slice(1, -1);
}

/** True when JSON.stringify would escape nothing in the text. */
function jsonPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // quote, backslash, control characters, surrogates (lone ones escaped)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff))
      return false;
  }
  return true;
}

// Templates parsed once each. Mustache caches them too, but keys its
// cache by a new string made of the whole template on every render.
const writer = new Mustache.Writer();
const parsed = new Map<string, string[][]>();
const JSON_VALUES = { escape: jsonEscape };
const NO_PARTIALS = {};

function tokensOf(template: string): string[][] {
  let tokens = parsed.get(template);
  if (tokens === undefined) {
    tokens = writer.parse(template) as string[][];
    parsed.set(template, tokens);
  }
  return tokens;
}

export function renderJson(
  template: string,
  view: object,
  what: string,
): Record<string, unknown> {
  const text = writer.renderTokens(
    tokensOf(template),
    new Mustache.Context(view),
    NO_PARTIALS,
    template,
    JSON_VALUES,
  );
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
