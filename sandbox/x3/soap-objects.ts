import { EntryInput, InvoiceInput, X3RuleError } from './rules';
import type {
  FieldType,
  Fields,
  FieldValue,
  ObjectData,
  OutBlock,
  OutField,
} from './soap-objectxml';
import { Lang, say } from './soap-messages';
import type { SoapObject, SoapPublication } from './soap-publications';
import type {
  CustomerFields,
  StoredCustomer,
  StoredEntry,
  StoredInvoice,
} from './types';

// objectXml fields to the inputs of rules.ts, and stored records back to
// the fields of a resultXml, by X3 field code.

export interface FlatObject {
  fields: Fields;
  lines: Fields[];
}

type Out = Omit<OutField, 'name'>;
export type OutRecord = Record<string, Out>;

const TYPES: Record<string, FieldType> = {
  INVDAT: 'Date',
  ACCDAT: 'Date',
  BPRDATVCR: 'Date',
  QTY: 'Decimal',
  GROPRI: 'Decimal',
  DISCRGVAL1: 'Decimal',
  AMTTAXLIN1: 'Decimal',
  AMTNOTLIN: 'Decimal',
  INVNOT: 'Decimal',
  INVATI: 'Decimal',
  DEB: 'Decimal',
  CDT: 'Decimal',
  SIHCFMFLG: 'Integer',
  PRITYP: 'Integer',
  CAT: 'Integer',
  STA: 'Integer',
};

const TABLE_DIM: Record<SoapObject, number> = {
  customer: 50,
  invoice: 300,
  entry: 500,
};

/** Keeps the groups and fields the publication declares; refuses others. */
export function flatten(
  pub: SoapPublication,
  publicName: string,
  data: ObjectData,
  lang: Lang,
): FlatObject {
  const problems: string[] = [];
  const fields: Fields = new Map();
  for (const [id, group] of data.groups) {
    const known = pub.groups[id];
    if (!known) problems.push(say(lang, 'unknownGroup', id, publicName));
    for (const [name, value] of group) {
      if (known?.includes(name)) fields.set(name, value);
    }
  }
  let lines: Fields[] = [];
  for (const [id, rows] of data.tables) {
    const known = pub.tables[id];
    if (!known) problems.push(say(lang, 'unknownGroup', id, publicName));
    else {
      lines = rows.map(
        (row) => new Map([...row].filter(([n]) => known.includes(n))),
      );
    }
  }
  if (problems.length > 0) throw new X3RuleError(problems);
  return { fields, lines };
}

const one = (v: FieldValue | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

const isZero = (v: string | undefined) => !v || /^0*(\.0*)?$/.test(v);

class Reading {
  readonly problems: string[] = [];

  constructor(readonly lang: Lang) {}

  /** YYYYMMDD to YYYY-MM-DD; an impossible date is a problem. */
  date(name: string, value: string | undefined): string {
    if (value === undefined || value === '') return '';
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
    const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
    const t = Date.parse(`${iso}T00:00:00Z`);
    if (
      !m ||
      Number.isNaN(t) ||
      new Date(t).toISOString().slice(0, 10) !== iso
    ) {
      this.problems.push(say(this.lang, 'badDate', name, value));
      return '';
    }
    return iso;
  }

  max(name: string, value: string | undefined, max: number): void {
    if (value !== undefined && value.length > max) {
      this.problems.push(
        say(this.lang, 'tooLong', name, String(value.length), String(max)),
      );
    }
  }

  done(): void {
    if (this.problems.length > 0) throw new X3RuleError(this.problems);
  }
}

/**
 * Customer fields present in the object; on save ('create') a blank
 * field is left out, on modify it clears the field.
 */
export function customerInput(
  flat: FlatObject,
  lang: Lang,
  mode: 'create' | 'modify',
): Partial<CustomerFields> {
  const r = new Reading(lang);
  const f = flat.fields;
  const address = flat.lines[0] ?? new Map<string, FieldValue>();
  const names = f.get('BPRNAM');
  const items = Array.isArray(names)
    ? names
    : names === undefined
      ? []
      : [names];
  if (items.length > 2) {
    r.problems.push(say(lang, 'tooMany', 'BPRNAM', String(items.length), '2'));
  }
  r.max('BPRNAM(1)', items[1], 35);
  r.max('CODADR', one(address.get('CODADR')), 5);
  r.done();

  const pick = (v: FieldValue | undefined) => {
    const text = one(v);
    return mode === 'create' && text === '' ? undefined : text;
  };
  return {
    code: pick(f.get('BPCNUM')),
    category: pick(f.get('BCGCOD')),
    companyName: items.length > 0 ? items[0] : undefined,
    companyName2: items.length > 0 ? (pick(items[1]) ?? '') : undefined,
    shortName: pick(f.get('BPRSHO')),
    currency: pick(f.get('CUR')),
    country: pick(address.get('BPACRY')),
    addressLine1: pick(address.get('ADDLIG1')),
    addressLine2: pick(address.get('ADDLIG2')),
    addressLine3: pick(address.get('ADDLIG3')),
    postalCode: pick(address.get('POSCOD')),
    city: pick(address.get('CTY')),
    state: pick(address.get('SAT')),
    phone: pick(address.get('TEL1')),
    email: pick(address.get('WEB1')),
  };
}

export function invoiceInput(flat: FlatObject, lang: Lang): InvoiceInput {
  const r = new Reading(lang);
  const f = (name: string) => one(flat.fields.get(name)) ?? '';
  const invoiceDate = r.date('INVDAT', f('INVDAT'));
  r.done();
  return {
    salesSite: f('SALFCY'),
    invoiceType: f('SIVTYP'),
    invoiceDate,
    billToCustomer: f('BPCINV'),
    currency: f('CUR'),
    customerReference: f('INVREF'),
    lines: flat.lines.map((line) => {
      const l = (name: string) => one(line.get(name)) ?? '';
      return {
        product: l('ITMREF'),
        description: l('ITMDES'),
        quantity: l('QTY'),
        grossPrice: l('GROPRI'),
        discountAmount: l('DISCRGVAL1') || '0',
        taxCode: l('VACITM1'),
        taxAmount: l('AMTTAXLIN1') || '0',
      };
    }),
  };
}

export function entryInput(flat: FlatObject, lang: Lang): EntryInput {
  const r = new Reading(lang);
  const f = (name: string) => one(flat.fields.get(name)) ?? '';
  const accountingDate = r.date('ACCDAT', f('ACCDAT'));
  r.date('BPRDATVCR', f('BPRDATVCR'));
  r.done();
  return {
    journalEntryType: f('TYP'),
    site: f('FCY'),
    accountingDate,
    transactionCurrency: f('CUR'),
    description: f('DESVCR'),
    sourceDocument: f('BPRVCR'),
    lines: flat.lines.map((line) => {
      const l = (name: string) => one(line.get(name)) ?? '';
      // Some clients send 0 in the side a line does not use.
      const debit = l('DEB');
      const credit = l('CDT');
      const useDebit = debit !== '' && !(isZero(debit) && !isZero(credit));
      const useCredit = credit !== '' && !(isZero(credit) && !isZero(debit));
      return {
        account: l('ACC1'),
        businessPartner: l('BPR') || null,
        debit: useDebit ? debit : null,
        credit: useCredit ? credit : null,
        description: l('DES'),
      };
    }),
  };
}

const yyyymmdd = (iso: string) => iso.replace(/-/g, '');
const stamp = (iso: string) => iso.replace(/[-:T]/g, '').slice(0, 14);
const char = (value: string | null | undefined): Out => ({
  type: 'Char',
  value: value ?? '',
});
const dec = (value: string | null | undefined): Out => ({
  type: 'Decimal',
  value: value ?? '',
});
const date = (iso: string): Out => ({ type: 'Date', value: yyyymmdd(iso) });

export function customerRecord(c: StoredCustomer): {
  header: OutRecord;
  lines: OutRecord[];
} {
  const header: OutRecord = {
    BCGCOD: char(c.category),
    BPCNUM: char(c.code),
    BPRNAM: {
      type: 'Char',
      value: [c.companyName, c.companyName2 ?? ''],
      dim: 2,
    },
    BPRSHO: char(c.shortName),
    CRN: char(''),
    CUR: char(c.currency),
  };
  const address: OutRecord = {
    CODADR: char('MAIN'),
    BPADES: char(''),
    BPACRY: char(c.country),
    ADDLIG1: char(c.addressLine1),
    ADDLIG2: char(c.addressLine2),
    ADDLIG3: char(c.addressLine3),
    POSCOD: char(c.postalCode),
    CTY: char(c.city),
    SAT: char(c.state),
    TEL1: char(c.phone),
    WEB1: char(c.email),
  };
  return { header, lines: [address] };
}

function technical(updatedAt: string, user: string): OutRecord {
  return { WW_MODSTAMP: char(stamp(updatedAt)), WW_MODUSER: char(user) };
}

export function invoiceRecord(
  i: StoredInvoice,
  lang: Lang,
  user: string,
): { header: OutRecord; lines: OutRecord[] } {
  const header: OutRecord = {
    SALFCY: char(i.salesSite),
    SIVTYP: char(i.invoiceType),
    NUM: char(i.id),
    INVREF: char(i.customerReference),
    INVDAT: date(i.invoiceDate),
    BPCINV: char(i.billToCustomer),
    CUR: char(i.currency),
    SIHCFMFLG: {
      type: 'Integer',
      value: '1',
      menu: { label: say(lang, 'no'), number: 1 },
    },
    PRITYP: { type: 'Integer', value: '' },
    INVNOT: dec(i.totalAmountExcludingTax),
    INVATI: dec(i.totalAmountIncludingTax),
    ...technical(i.updatedAt, user),
  };
  const lines = i.lines.map((l): OutRecord => ({
    ITMREF: char(l.product),
    ITMDES: char(l.description),
    QTY: dec(l.quantity),
    GROPRI: dec(l.grossPrice),
    DISCRGVAL1: dec(l.discountAmount),
    VACITM1: char(l.taxCode),
    AMTTAXLIN1: dec(l.taxAmount),
    AMTNOTLIN: dec(l.netAmount),
  }));
  return { header, lines };
}

export function entryRecord(
  e: StoredEntry,
  lang: Lang,
  user: string,
): { header: OutRecord; lines: OutRecord[] } {
  const header: OutRecord = {
    FCY: char(e.site),
    TYP: char(e.journalEntryType),
    NUM: char(e.id),
    ACCDAT: date(e.accountingDate),
    JOU: char(''),
    CAT: {
      type: 'Integer',
      value: '1',
      menu: { label: say(lang, 'real'), number: 618 },
    },
    STA: {
      type: 'Integer',
      value: '1',
      menu: { label: say(lang, 'temporary'), number: 1 },
    },
    DESVCR: char(e.description),
    BPRVCR: char(e.sourceDocument),
    BPRDATVCR: { type: 'Date', value: '' },
    CUR: char(e.transactionCurrency),
    ...technical(e.updatedAt, user),
  };
  const lines = e.lines.map((l): OutRecord => ({
    FCYLIN: char(e.site),
    ACC1: char(l.account),
    BPR: char(l.businessPartner),
    DEB: dec(l.debit),
    CDT: dec(l.credit),
    DES: char(l.description),
  }));
  return { header, lines };
}

/** The publication's groups and table, filled from a record. */
export function resultBlocks(
  pub: SoapPublication,
  record: { header: OutRecord; lines: OutRecord[] },
): OutBlock[] {
  const field = (source: OutRecord, name: string): OutField => ({
    name,
    ...(source[name] ?? { type: TYPES[name] ?? 'Char', value: '' }),
  });
  const blocks: OutBlock[] = Object.entries(pub.groups).map(([id, names]) => ({
    kind: 'group',
    id,
    fields: names.map((n) => field(record.header, n)),
  }));
  for (const [id, names] of Object.entries(pub.tables)) {
    blocks.push({
      kind: 'table',
      id,
      dim: TABLE_DIM[pub.object],
      lines: record.lines.map((line) => names.map((n) => field(line, n))),
    });
  }
  return blocks;
}
