// The GraphQL operations the gateway sends. The mutations exist on an X3
// whose administrator published them as API operations (GESAPIOPE).

export const CREATE_CUSTOMER = `mutation ($data: Customer_Input!) {
  x3MasterData { customer { create(data: $data) { code } } }
}`;

export const UPDATE_CUSTOMER = `mutation ($data: Customer_Input!) {
  x3MasterData { customer { update(data: $data) { code } } }
}`;

export const READ_CUSTOMER = `query ($id: Id!) {
  x3MasterData { customer { read(_id: $id) { code } } }
}`;

export const FIND_CUSTOMER = `query ($filter: String) {
  x3MasterData { customer {
    query(first: 2, filter: $filter, orderBy: "{_id:1}") {
      edges { node { code } }
    }
  } }
}`;

export const PING = `query {
  x3MasterData { customer { query(first: 1) { edges { node { code } } } } }
}`;

export const CREATE_INVOICE = `mutation ($data: SalesInvoice_Input!) {
  x3Sales { salesInvoice { create(data: $data) { id } } }
}`;

export const CREATE_ENTRY = `mutation ($data: JournalEntry_Input!) {
  x3Finance { journalEntry { create(data: $data) { id } } }
}`;

export const FIND_INVOICE = `query ($filter: String) {
  x3Sales { salesInvoice {
    query(first: 2, filter: $filter, orderBy: "{_id:1}") {
      edges { node { id customerReference invoiceType } }
    }
  } }
}`;

export const FIND_ENTRY = `query ($filter: String) {
  x3Finance { journalEntry {
    query(first: 2, filter: $filter, orderBy: "{_id:1}") {
      edges { node { id sourceDocument journalEntryType } }
    }
  } }
}`;

/** A filter string literal: single quotes, backslash-escaped. */
export function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
