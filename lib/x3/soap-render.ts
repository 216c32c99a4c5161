import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { CustomerDoc, InvoiceDoc, JournalEntryDoc } from '../ledger/types';
import { X3Error } from './errors';
import { bundledTemplate } from './render';
import { parseXml, xmlEscape } from './soap-xml';
import { soapCustomerView, soapEntryView, soapInvoiceView } from './soap-views';
import type { X3Setup } from './view-models';

// The objectXml of each SOAP publication is rendered from a Mustache
// template of its groups (GRP/FLD, TAB/LIN, LST/ITM), so a site whose
// group ids or fields differ edits a template, not code. Values are
// XML-escaped, and the output must be well-formed XML.

export interface SoapTemplates {
  customer?: string;
  invoice?: string;
  entry?: string;
}

export const SOAP_TEMPLATE_FILES: Record<keyof SoapTemplates, string> = {
  customer: 'soap-customer.mustache',
  invoice: 'soap-sales-invoice.mustache',
  entry: 'soap-journal-entry.mustache',
};

export function defaultSoapTemplate(name: keyof SoapTemplates): string {
  return bundledTemplate(SOAP_TEMPLATE_FILES[name]);
}

export function renderObjectXml(
  template: string,
  view: object,
  what: string,
): string {
  // Escaped values hold no raw line breaks, so the template's own
  // indentation can go without touching any value.
  const text = Mustache.render(template, view, {}, { escape: xmlEscape })
    .replace(/>\s*\n\s*</g, '><')
    .trim();
  try {
    parseXml(text);
  } catch (error) {
    throw new X3Error(
      'template',
      `the SOAP ${what} template did not give XML: ${(error as Error).message}`,
    );
  }
  return text;
}

export function soapInvoiceXml(
  doc: InvoiceDoc,
  setup: X3Setup,
  template = defaultSoapTemplate('invoice'),
): string {
  return renderObjectXml(template, soapInvoiceView(doc, setup), 'invoice');
}

export function soapEntryXml(
  doc: JournalEntryDoc,
  setup: X3Setup,
  template = defaultSoapTemplate('entry'),
): string {
  return renderObjectXml(template, soapEntryView(doc, setup), 'entry');
}

export function soapCustomerXml(
  doc: CustomerDoc,
  template = defaultSoapTemplate('customer'),
): string {
  return renderObjectXml(template, soapCustomerView(doc), 'customer');
}

/** The soap-*.mustache files found in a site's own folder. */
export function readSoapTemplates(folder: string): SoapTemplates {
  if (!existsSync(folder)) {
    throw new X3Error('config', `SOAP template folder ${folder} not found`);
  }
  const templates: SoapTemplates = {};
  for (const [name, file] of Object.entries(SOAP_TEMPLATE_FILES)) {
    const full = path.join(folder, file);
    if (existsSync(full)) {
      templates[name as keyof SoapTemplates] = readFileSync(full, 'utf8');
    }
  }
  return templates;
}
