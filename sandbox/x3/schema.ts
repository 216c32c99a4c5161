import {
  buildSchema,
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,
} from 'graphql';
import {
  createCustomer,
  createEntry,
  createInvoice,
  EntryInput,
  InvoiceInput,
  updateCustomer,
  X3RuleError,
} from './rules';
import type { X3Store } from './store';
import { connection, ConnectionArgs } from './connection';
import type { CustomerFields } from './types';

// The part of an X3 GraphQL schema this connector uses: three nodes with
// their standard query/read operations, plus the create/update mutations
// an administrator publishes through API operations (GESAPIOPE).

const CUSTOMER_FIELDS = `code: String category: String companyName: String
  shortName: String currency: String country: String addressLine1: String
  addressLine2: String addressLine3: String city: String postalCode: String
  state: String email: String phone: String`;

const QUERY_ARGS =
  '(first: Int, after: String, filter: String, orderBy: String)';

const SDL = `
scalar Id

type PageInfo {
  startCursor: String endCursor: String
  hasNextPage: Boolean! hasPreviousPage: Boolean!
}

type Customer { _id: Id! ${CUSTOMER_FIELDS} _createStamp: String _updateStamp: String }
type CustomerEdge { cursor: String! node: Customer! }
type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! }
type CustomerNode {
  query${QUERY_ARGS}: CustomerConnection!
  read(_id: Id!): Customer
}
input Customer_Input { ${CUSTOMER_FIELDS} }
type CustomerMutations {
  create(data: Customer_Input!): Customer
  update(data: Customer_Input!): Customer
}

type SalesInvoiceLine {
  lineNumber: Int! product: String! description: String quantity: String!
  grossPrice: String! discountAmount: String! taxCode: String!
  taxAmount: String! netAmount: String!
}
type SalesInvoice {
  _id: Id! id: String! invoiceType: String! category: String!
  salesSite: String! company: String! invoiceDate: String!
  billToCustomer: String! currency: String! customerReference: String
  status: String! totalAmountExcludingTax: String! totalTaxAmount: String!
  totalAmountIncludingTax: String! lines: [SalesInvoiceLine!]!
  _createStamp: String _updateStamp: String
}
type SalesInvoiceEdge { cursor: String! node: SalesInvoice! }
type SalesInvoiceConnection { edges: [SalesInvoiceEdge!]! pageInfo: PageInfo! }
type SalesInvoiceNode {
  query${QUERY_ARGS}: SalesInvoiceConnection!
  read(_id: Id!): SalesInvoice
}
input SalesInvoiceLine_Input {
  product: String! description: String quantity: String! grossPrice: String!
  discountAmount: String taxCode: String! taxAmount: String
}
input SalesInvoice_Input {
  salesSite: String! invoiceType: String! invoiceDate: String!
  billToCustomer: String! currency: String! customerReference: String
  lines: [SalesInvoiceLine_Input!]!
}
type SalesInvoiceMutations { create(data: SalesInvoice_Input!): SalesInvoice }

type JournalEntryLine {
  lineNumber: Int! account: String! businessPartner: String
  debit: String credit: String description: String
}
type JournalEntry {
  _id: Id! id: String! journalEntryType: String! site: String!
  company: String! accountingDate: String! transactionCurrency: String!
  description: String sourceDocument: String journalEntryStatus: String!
  lines: [JournalEntryLine!]! _createStamp: String _updateStamp: String
}
type JournalEntryEdge { cursor: String! node: JournalEntry! }
type JournalEntryConnection { edges: [JournalEntryEdge!]! pageInfo: PageInfo! }
type JournalEntryNode {
  query${QUERY_ARGS}: JournalEntryConnection!
  read(_id: Id!): JournalEntry
}
input JournalEntryLine_Input {
  account: String! businessPartner: String debit: String credit: String
  description: String
}
input JournalEntry_Input {
  journalEntryType: String! site: String! accountingDate: String!
  transactionCurrency: String! description: String sourceDocument: String
  lines: [JournalEntryLine_Input!]!
}
type JournalEntryMutations { create(data: JournalEntry_Input!): JournalEntry }

type X3MasterData { customer: CustomerNode! }
type X3Sales { salesInvoice: SalesInvoiceNode! }
type X3Finance { journalEntry: JournalEntryNode! }
type Query { x3MasterData: X3MasterData! x3Sales: X3Sales! x3Finance: X3Finance! }

type X3MasterDataMutation { customer: CustomerMutations! }
type X3SalesMutation { salesInvoice: SalesInvoiceMutations! }
type X3FinanceMutation { journalEntry: JournalEntryMutations! }
type Mutation {
  x3MasterData: X3MasterDataMutation!
  x3Sales: X3SalesMutation!
  x3Finance: X3FinanceMutation!
}
`;

export const x3Schema: GraphQLSchema = buildSchema(SDL);

type Row = Record<string, unknown>;

function node<T extends { uuid: string; createdAt: string; updatedAt: string }>(
  row: T,
  id: string,
): Row {
  const { uuid: _uuid, createdAt, updatedAt, ...fields } = row;
  return {
    ...fields,
    _id: id,
    _createStamp: createdAt,
    _updateStamp: updatedAt,
  };
}

function businessRule(run: () => Row): Row {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof X3RuleError)) throw error;
    throw new GraphQLError(error.message, {
      extensions: {
        code: 'BUSINESS_RULE',
        diagnoses: error.diagnoses.map((message) => ({
          severity: 'error',
          message,
        })),
      },
    });
  }
}

function readable(rows: () => Row[], typeName: string) {
  const type = x3Schema.getType(typeName) as GraphQLObjectType;
  const fields = new Set(Object.keys(type.getFields()));
  return {
    query: (args: ConnectionArgs) => connection(rows(), args, fields),
    read: (args: { _id: string }) =>
      rows().find((row) => row._id === args._id) ?? null,
  };
}

export function roots(store: X3Store): { query: Row; mutation: Row } {
  const customers = () =>
    [...store.customers.values()].map((c) => node(c, c.code));
  const invoices = () => store.invoices.map((i) => node(i, i.id));
  const entries = () => store.entries.map((e) => node(e, e.id));
  type Data<T> = { data: T };

  const query = {
    x3MasterData: { customer: readable(customers, 'Customer') },
    x3Sales: { salesInvoice: readable(invoices, 'SalesInvoice') },
    x3Finance: { journalEntry: readable(entries, 'JournalEntry') },
  };
  const mutation = {
    x3MasterData: {
      customer: {
        create: ({ data }: Data<Partial<CustomerFields>>) =>
          businessRule(() => {
            const c = createCustomer(store, data);
            return node(c, c.code);
          }),
        update: ({ data }: Data<Partial<CustomerFields>>) =>
          businessRule(() => {
            const c = updateCustomer(store, data);
            return node(c, c.code);
          }),
      },
    },
    x3Sales: {
      salesInvoice: {
        create: ({ data }: Data<InvoiceInput>) =>
          businessRule(() => {
            const lines = data.lines.map((l) => ({
              ...l,
              discountAmount: l.discountAmount ?? '0',
              taxAmount: l.taxAmount ?? '0',
            }));
            const invoice = createInvoice(store, {
              ...data,
              customerReference: data.customerReference ?? '',
              lines,
            });
            return node(invoice, invoice.id);
          }),
      },
    },
    x3Finance: {
      journalEntry: {
        create: ({ data }: Data<EntryInput>) =>
          businessRule(() => {
            const entry = createEntry(store, {
              ...data,
              description: data.description ?? '',
              sourceDocument: data.sourceDocument ?? '',
              lines: data.lines.map((l) => ({
                ...l,
                description: l.description ?? '',
              })),
            });
            return node(entry, entry.id);
          }),
      },
    },
  };
  return { query, mutation };
}
