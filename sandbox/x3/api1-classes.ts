import type { X3Store } from './store';

// The api1 classes the emulator publishes, each read from the store as
// rows of X3 field codes. A class's $query facet shows `query` fields;
// $details shows every field plus the child collections.

type Row = Record<string, unknown>;

export interface Api1Class {
  key: string;
  query: string[];
  rows(store: X3Store): Row[];
  details?(row: Row, store: X3Store): Row;
}

const flag = (yes: boolean | undefined) => (yes ? 2 : 1);

export const API1_CLASSES: Record<string, Api1Class> = {
  BPCUSTOMER: {
    key: 'BPCNUM',
    query: ['BPCNUM', 'BPCNAM', 'BPRSHO', 'BCGCOD', 'CUR', 'CRY', 'UPDDATTIM'],
    rows: (store) =>
      [...store.customers.values()].map((c) => ({
        BPCNUM: c.code,
        BPCNAM: c.companyName,
        BPRSHO: c.shortName ?? '',
        BCGCOD: c.category,
        CUR: c.currency,
        CRY: c.country ?? '',
        CTY: c.city ?? '',
        POSCOD: c.postalCode ?? '',
        WEB: c.email ?? '',
        TEL: c.phone ?? '',
        CREDATTIM: c.createdAt,
        UPDDATTIM: c.updatedAt,
      })),
    details: (row, store) => {
      const c = store.customers.get(String(row.BPCNUM))!;
      return {
        ...row,
        BPRNAM: [c.companyName, c.companyName2 ?? ''],
        CUR_REF: {
          $title: store.setup.currencies.get(c.currency)?.description,
        },
        BPAINV: 'MAIN',
        BPADDRESS: [
          {
            BPAADD: 'MAIN',
            BPAADDLIG: [
              c.addressLine1 ?? '',
              c.addressLine2 ?? '',
              c.addressLine3 ?? '',
            ],
            POSCOD: c.postalCode ?? '',
            CTY: c.city ?? '',
            SAT: c.state ?? '',
            BPACRY: c.country ?? '',
            TEL: c.phone ?? '',
            WEB: c.email ?? '',
            BPAADDFLG: 2,
          },
        ],
      };
    },
  },
  ITMMASTER: {
    key: 'ITMREF',
    query: ['ITMREF', 'DES1AXX', 'TCLCOD', 'ITMSTA'],
    rows: (store) =>
      [...store.setup.products.values()].map((p) => ({
        ITMREF: p.code,
        DES1AXX: p.description,
        TCLCOD: p.category,
        ITMSTA: 1,
        SAU: 'UN',
        STU: 'UN',
      })),
  },
  GACCOUNT: {
    key: 'ACC',
    // COLFLG (collective account, 1 = no, 2 = yes) is the emulator's name.
    query: ['ACC', 'DES', 'COLFLG'],
    rows: (store) =>
      [...store.setup.accounts.values()].map((a) => ({
        ACC: a.code,
        DES: a.description,
        COLFLG: flag(a.control),
      })),
  },
  FACILITY: {
    key: 'FCY',
    query: ['FCY', 'FCYNAM', 'LEGCPY'],
    rows: (store) =>
      [...store.setup.sites.values()].map((s) => ({
        FCY: s.code,
        FCYNAM: s.name,
        LEGCPY: s.company,
        CRY: store.setup.companies.get(s.company)?.country ?? '',
      })),
  },
  COMPANY: {
    key: 'CPY',
    query: ['CPY', 'CPYNAM', 'ACCCUR', 'CRY'],
    rows: (store) =>
      [...store.setup.companies.values()].map((c) => ({
        CPY: c.code,
        CPYNAM: c.name,
        ACCCUR: c.currency,
        CRY: c.country,
      })),
  },
  TABVAT: {
    key: 'VAT',
    query: ['VAT', 'DES', 'VATRAT'],
    rows: (store) =>
      [...store.setup.taxCodes.values()].map((t) => ({
        VAT: t.code,
        DES: t.description,
        VATRAT: Number(t.rate),
      })),
  },
  TABCUR: {
    key: 'CUR',
    query: ['CUR', 'DES', 'CURDEC'],
    rows: (store) =>
      [...store.setup.currencies.values()].map((c) => ({
        CUR: c.code,
        DES: c.description,
        CURDEC: c.decimals,
      })),
  },
};
