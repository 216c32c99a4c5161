import { handleApi1, type Api1Answer } from './api1';
import { createCustomer, updateCustomer, X3RuleError } from './rules';
import type { X3Store } from './store';
import type { CustomerFields } from './types';

// The write side of api1, on BPCUSTOMER only: X3 accepts $create and $edit
// on classes rebuilt on the V7 model, which sales invoices (SIH) and
// journal entries (GAS) are not. GET $template, POST $create (201 +
// Location), PUT $edit with a partial body (no ETag check), DELETE.

type Body = Record<string, unknown>;

const diagnosis = (status: number, messages: string[]): Api1Answer => ({
  status,
  body: {
    $diagnoses: messages.map(($message) => ({ $severity: 'error', $message })),
  },
});

const FIELDS: Record<string, keyof CustomerFields> = {
  BPCNUM: 'code',
  BPCNAM: 'companyName',
  BPRSHO: 'shortName',
  BCGCOD: 'category',
  CUR: 'currency',
  CRY: 'country',
  CTY: 'city',
  POSCOD: 'postalCode',
  SAT: 'state',
  WEB: 'email',
  TEL: 'phone',
};

function customerFields(body: Body): Partial<CustomerFields> {
  const out: Partial<Record<keyof CustomerFields, string>> = {};
  for (const [code, field] of Object.entries(FIELDS)) {
    if (typeof body[code] === 'string') out[field] = body[code] as string;
  }
  const address = Array.isArray(body.BPADDRESS)
    ? (body.BPADDRESS[0] as Body | undefined)
    : undefined;
  const lines = address?.BPAADDLIG ?? body.BPAADDLIG;
  if (Array.isArray(lines)) {
    [out.addressLine1, out.addressLine2, out.addressLine3] = lines.map((l) =>
      typeof l === 'string' && l !== '' ? l : undefined,
    );
  }
  return out;
}

export interface Api1WriteRequest {
  method: string;
  /** the path after /api1/x3/erp/{endpoint}/ */
  path: string;
  params: URLSearchParams;
  /** the class URL, for Location and $url */
  self: string;
  body: unknown;
}

export function handleApi1Write(
  store: X3Store,
  req: Api1WriteRequest,
): Api1Answer & { location?: string } {
  const m = /^BPCUSTOMER(?:\('((?:[^']|'')*)'\)|\/(\$template))?$/.exec(
    req.path,
  );
  const [rep, facet] = (req.params.get('representation') ?? '').split('.');
  if (!m) {
    const cls = req.path.replace(/[(/].*$/, '');
    return diagnosis(405, [
      `Class ${cls} : ${req.method} not available ` +
        'through api1 (publish a SOAP web service)',
    ]);
  }
  if (rep !== 'BPCUSTOMER') {
    return diagnosis(400, ['representation parameter missing or unknown']);
  }
  const key = m[1]?.replace(/''/g, "'");
  const details = (code: string) =>
    handleApi1(
      store,
      `BPCUSTOMER('${code.replace(/'/g, "''")}')`,
      new URLSearchParams({
        representation: 'BPCUSTOMER.$details',
      }),
      req.self,
    );

  try {
    if (m[2] === '$template' && req.method === 'GET' && facet === '$create') {
      return {
        status: 200,
        body: {
          $url: `${req.self}/$template`,
          BPCNUM: '',
          BCGCOD: 'RETL',
          CUR: 'USD',
          CRY: 'US',
          BPCNAM: '',
          BPADDRESS: [{ BPAADDLIG: ['', '', ''] }],
        },
      };
    }
    if (key === undefined && req.method === 'POST' && facet === '$create') {
      const created = createCustomer(store, customerFields(req.body as Body));
      const answer = details(created.code);
      const location = `${req.self}('${created.code}')?representation=BPCUSTOMER.$details`;
      return { status: 201, body: answer.body, location };
    }
    if (key !== undefined && req.method === 'PUT' && facet === '$edit') {
      updateCustomer(store, { ...customerFields(req.body as Body), code: key });
      return details(key);
    }
    if (key !== undefined && req.method === 'DELETE') {
      if (!store.customers.has(key)) {
        return diagnosis(404, [`${key} : Record does not exist`]);
      }
      if (store.invoices.some((i) => i.billToCustomer === key)) {
        return diagnosis(400, [`Customer ${key} : used in sales invoices`]);
      }
      store.customers.delete(key);
      return { status: 200, body: {} };
    }
  } catch (error) {
    if (error instanceof X3RuleError) return diagnosis(400, error.diagnoses);
    throw error;
  }
  return diagnosis(400, [`Facet ${facet} not allowed with ${req.method}`]);
}
