import {
  createCustomer,
  createEntry,
  createInvoice,
  updateCustomer,
  X3RuleError,
} from './rules';
import type { X3Store } from './store';
import { Lang, say } from './soap-messages';
import {
  customerInput,
  customerRecord,
  entryInput,
  entryRecord,
  flatten,
  invoiceInput,
  invoiceRecord,
  OutRecord,
  resultBlocks,
} from './soap-objects';
import {
  OutBlock,
  OutField,
  parseObjectXml,
  writeResultXml,
} from './soap-objectxml';
import type { SoapPublication, SoapSettings } from './soap-publications';
import { XmlError } from './soap-xml';
import type { StoredCustomer, StoredEntry, StoredInvoice } from './types';

// One classic SOAP call on a publication: save, read, query, modify or
// delete, answered as CAdxResultXml's status, messages and resultXml.

export const SOAP_OPERATIONS = [
  'save',
  'read',
  'query',
  'modify',
  'delete',
] as const;
export type SoapOperation = (typeof SOAP_OPERATIONS)[number];

export interface KeyValue {
  key: string;
  value: string;
}

export interface SoapCall {
  operation: SoapOperation;
  publicName: string;
  lang: Lang;
  objectXml?: string;
  objectKeys: KeyValue[];
  listSize?: number;
}

export interface SoapMessage {
  /** 1 information, 2 warning, 3 error */
  type: 1 | 2 | 3;
  message: string;
}

export interface SoapOutcome {
  status: 0 | 1;
  messages: SoapMessage[];
  resultXml: string | null;
  /** the call stored or changed something */
  committed: boolean;
}

type Doc = StoredCustomer | StoredInvoice | StoredEntry;
type OutDoc = { header: OutRecord; lines: OutRecord[] };

const KEYS = { customer: ['BPCNUM'], invoice: ['NUM'], entry: ['TYP', 'NUM'] };

const QUERY_COLUMNS = {
  customer: ['BPCNUM', 'BPRNAM', 'BPRSHO', 'BCGCOD', 'CUR'],
  invoice: ['NUM', 'SIVTYP', 'INVREF', 'BPCINV', 'INVDAT', 'CUR', 'INVATI'],
  entry: ['TYP', 'NUM', 'BPRVCR', 'ACCDAT', 'FCY', 'CUR'],
};

export const refused = (messages: string[]): SoapOutcome => ({
  status: 0,
  messages: messages.map((message) => ({ type: 3, message })),
  resultXml: null,
  committed: false,
});

export class SoapCallRunner {
  constructor(
    private readonly store: X3Store,
    private readonly settings: SoapSettings,
    /** the X3 user the Basic credentials stand for (WW_MODUSER) */
    private readonly user: string,
  ) {}

  run(call: SoapCall): SoapOutcome {
    const pub = this.settings.publications[call.publicName];
    if (!pub) return refused([say(call.lang, 'unpublished', call.publicName)]);
    try {
      return this.dispatch(pub, call);
    } catch (error) {
      if (error instanceof X3RuleError) return refused(error.diagnoses);
      if (error instanceof XmlError) {
        return refused([say(call.lang, 'badObjectXml', error.message)]);
      }
      throw error;
    }
  }

  private dispatch(pub: SoapPublication, call: SoapCall): SoapOutcome {
    if (call.operation === 'query') return this.query(pub, call);
    if (call.operation === 'save') return this.save(pub, call);

    const found = this.find(pub, call);
    if (call.operation === 'read') return this.answer(pub, call, found, false);
    if (pub.object !== 'customer') {
      const number = (found as StoredInvoice | StoredEntry).id;
      return refused([say(call.lang, 'posted', number)]);
    }
    const customer = found as StoredCustomer;
    if (call.operation === 'delete') return this.deleteCustomer(customer, call);

    const flat = this.object(pub, call);
    const input = customerInput(flat, call.lang, 'modify');
    const updated = updateCustomer(this.store, {
      ...input,
      code: customer.code,
    });
    return this.answer(pub, call, updated, true);
  }

  private object(pub: SoapPublication, call: SoapCall) {
    const data = parseObjectXml(call.objectXml ?? '');
    return flatten(pub, call.publicName, data, call.lang);
  }

  private save(pub: SoapPublication, call: SoapCall): SoapOutcome {
    const flat = this.object(pub, call);
    let saved: Doc;
    if (pub.object === 'customer') {
      saved = createCustomer(
        this.store,
        customerInput(flat, call.lang, 'create'),
      );
    } else if (pub.object === 'invoice') {
      const input = invoiceInput(flat, call.lang);
      const twin =
        this.settings.uniqueReferences && input.customerReference
          ? this.store.invoices.find(
              (i) =>
                i.customerReference === input.customerReference &&
                i.billToCustomer === input.billToCustomer,
            )
          : undefined;
      if (twin) {
        return refused([
          say(call.lang, 'duplicate', input.customerReference, twin.id),
        ]);
      }
      saved = createInvoice(this.store, input);
    } else {
      const input = entryInput(flat, call.lang);
      const twin =
        this.settings.uniqueReferences && input.sourceDocument
          ? this.store.entries.find(
              (e) => e.sourceDocument === input.sourceDocument,
            )
          : undefined;
      if (twin) {
        return refused([
          say(call.lang, 'duplicate', input.sourceDocument, twin.id),
        ]);
      }
      saved = createEntry(this.store, input);
    }
    return this.answer(pub, call, saved, true);
  }

  private record(pub: SoapPublication, doc: Doc, call: SoapCall): OutDoc {
    if (pub.object === 'customer') {
      return customerRecord(doc as StoredCustomer);
    }
    if (pub.object === 'invoice') {
      return invoiceRecord(doc as StoredInvoice, call.lang, this.user);
    }
    return entryRecord(doc as StoredEntry, call.lang, this.user);
  }

  private answer(
    pub: SoapPublication,
    call: SoapCall,
    doc: Doc,
    committed: boolean,
  ): SoapOutcome {
    const blocks = resultBlocks(pub, this.record(pub, doc, call));
    return {
      status: 1,
      messages: [],
      resultXml: writeResultXml(blocks),
      committed,
    };
  }

  private keys(pub: SoapPublication, call: SoapCall): Map<string, string> {
    const allowed = KEYS[pub.object];
    const keys = new Map<string, string>();
    const problems: string[] = [];
    for (const { key, value } of call.objectKeys) {
      if (!allowed.includes(key))
        problems.push(say(call.lang, 'unknownKey', key));
      keys.set(key, value);
    }
    const main = allowed[allowed.length - 1];
    if (!keys.get(main)) problems.push(say(call.lang, 'keyMissing', main));
    if (problems.length > 0) throw new X3RuleError(problems);
    return keys;
  }

  private find(pub: SoapPublication, call: SoapCall): Doc {
    const keys = this.keys(pub, call);
    let found: Doc | undefined;
    if (pub.object === 'customer') {
      found = this.store.customers.get(keys.get('BPCNUM')!);
    } else if (pub.object === 'invoice') {
      found = this.store.invoices.find((i) => i.id === keys.get('NUM'));
    } else {
      const type = keys.get('TYP');
      found = this.store.entries.find(
        (e) =>
          e.id === keys.get('NUM') && (!type || e.journalEntryType === type),
      );
    }
    if (!found) {
      const shown = [...keys.values()].filter(Boolean).join(' ');
      throw new X3RuleError([say(call.lang, 'notFound', shown)]);
    }
    return found;
  }

  private deleteCustomer(c: StoredCustomer, call: SoapCall): SoapOutcome {
    const used =
      this.store.invoices.some((i) => i.billToCustomer === c.code) ||
      this.store.entries.some((e) =>
        e.lines.some((l) => l.businessPartner === c.code),
      );
    if (used) return refused([say(call.lang, 'customerUsed', c.code)]);
    this.store.customers.delete(c.code);
    return { status: 1, messages: [], resultXml: null, committed: true };
  }

  /** Rows whose columns equal every key given, at most listSize of them. */
  private query(pub: SoapPublication, call: SoapCall): SoapOutcome {
    const columns = QUERY_COLUMNS[pub.object];
    const problems = call.objectKeys
      .filter((k) => !columns.includes(k.key))
      .map((k) => say(call.lang, 'unknownKey', k.key));
    if (problems.length > 0) return refused(problems);

    const docs: Doc[] =
      pub.object === 'customer'
        ? [...this.store.customers.values()]
        : pub.object === 'invoice'
          ? this.store.invoices
          : this.store.entries;
    const size = Math.max(0, call.listSize ?? 20);
    const rows: OutField[][] = [];
    for (const doc of docs) {
      const header = this.record(pub, doc, call).header;
      const text = (name: string) => {
        const v = header[name]?.value ?? '';
        return Array.isArray(v) ? (v[0] ?? '') : v;
      };
      if (!call.objectKeys.every((k) => text(k.key) === k.value)) continue;
      if (rows.length >= size) break;
      rows.push(columns.map((name) => ({ name, ...header[name] })));
    }
    const table: OutBlock = {
      kind: 'table',
      id: call.publicName,
      dim: size,
      lines: rows,
    };
    return {
      status: 1,
      messages: [],
      resultXml: writeResultXml([table]),
      committed: false,
    };
  }
}
