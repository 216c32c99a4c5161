// Which objects the emulated X3 publishes for classic SOAP (function
// GESAWE) and the groups of each publication. Real sites differ in both,
// so this is data the emulator takes in its options or at
// POST /_emulator/soap; the defaults are the ones of soap-contract.md.

export type SoapObject = 'customer' | 'invoice' | 'entry';

export interface SoapPublication {
  object: SoapObject;
  /** GRP id -> the fields the group holds */
  groups: Record<string, string[]>;
  /** TAB id -> the fields of one line; an object has at most one table */
  tables: Record<string, string[]>;
}

export type SoapPublications = Record<string, SoapPublication>;

export interface SoapSettings {
  publications: SoapPublications;
  /** refuse a second invoice (INVREF, same customer) or entry (BPRVCR) */
  uniqueReferences: boolean;
}

export const DEFAULT_PUBLICATIONS: SoapPublications = {
  YBPC: {
    object: 'customer',
    groups: {
      BPC0_1: ['BCGCOD', 'BPCNUM'],
      BPRC_1: ['BPRNAM', 'BPRSHO', 'CRN'],
      BPC2_1: ['CUR'],
    },
    tables: {
      BPAC_1: [
        'CODADR',
        'BPADES',
        'BPACRY',
        'ADDLIG1',
        'ADDLIG2',
        'ADDLIG3',
        'POSCOD',
        'CTY',
        'SAT',
        'TEL1',
        'WEB1',
      ],
    },
  },
  YWSSIH: {
    object: 'invoice',
    groups: {
      SIH0_1: ['SALFCY', 'SIVTYP', 'NUM', 'INVREF', 'INVDAT', 'BPCINV', 'CUR'],
      SIH1_1: ['SIHCFMFLG'],
      SIH1_6: ['PRITYP'],
      SIH4_3: ['INVNOT', 'INVATI'],
      ADXTEC: ['WW_MODSTAMP', 'WW_MODUSER'],
    },
    tables: {
      SIH4_1: [
        'ITMREF',
        'ITMDES',
        'QTY',
        'GROPRI',
        'DISCRGVAL1',
        'VACITM1',
        'AMTTAXLIN1',
      ],
    },
  },
  WSGAS: {
    object: 'entry',
    groups: {
      HAE0_1: ['FCY', 'TYP', 'NUM', 'ACCDAT'],
      HAE0_2: ['JOU', 'CAT', 'STA'],
      HAE1_1: ['DESVCR'],
      HAE1_3: ['BPRVCR', 'BPRDATVCR'],
      HAE1_5: ['CUR'],
      ADXTEC: ['WW_MODSTAMP', 'WW_MODUSER'],
    },
    tables: { HAE2_1: ['FCYLIN', 'ACC1', 'BPR', 'DEB', 'CDT', 'DES'] },
  },
};

const OBJECTS: SoapObject[] = ['customer', 'invoice', 'entry'];

function fieldMap(value: unknown, where: string): Record<string, string[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${where}: an object of id -> field names expected`);
  }
  const out: Record<string, string[]> = {};
  for (const [id, fields] of Object.entries(value)) {
    const ok =
      Array.isArray(fields) &&
      fields.every((f) => typeof f === 'string' && /^[A-Z0-9_]+$/.test(f));
    if (!ok) throw new Error(`${where}.${id}: field names expected`);
    out[id] = [...(fields as string[])];
  }
  return out;
}

/** Checks a publication map sent by a test or an operator. */
export function checkPublications(value: unknown): SoapPublications {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('publications: an object of public name -> layout');
  }
  const out: SoapPublications = {};
  for (const [name, raw] of Object.entries(value)) {
    if (!/^[A-Z0-9_]{1,10}$/.test(name)) {
      throw new Error(`${name}: public names have 1 to 10 characters A-Z0-9_`);
    }
    const p = raw as Partial<SoapPublication>;
    if (!OBJECTS.includes(p?.object as SoapObject)) {
      throw new Error(`${name}.object: one of ${OBJECTS.join(', ')}`);
    }
    const tables = fieldMap(p.tables ?? {}, `${name}.tables`);
    if (Object.keys(tables).length > 1) {
      throw new Error(`${name}.tables: at most one table`);
    }
    out[name] = {
      object: p.object as SoapObject,
      groups: fieldMap(p.groups, `${name}.groups`),
      tables,
    };
  }
  return out;
}

export function defaultSettings(
  given: Partial<SoapSettings> = {},
): SoapSettings {
  return {
    publications: checkPublications(given.publications ?? DEFAULT_PUBLICATIONS),
    uniqueReferences: given.uniqueReferences ?? true,
  };
}
