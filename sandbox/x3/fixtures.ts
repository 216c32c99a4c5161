import type {
  CustomerDoc,
  InvoiceDoc,
  JournalEntryDoc,
} from '../../lib/ledger/types';
import { documentReference } from '../../lib/ledger/reference';
import { X3_SETUP } from '../seed/business';

// Documents shaped like the ones lib/ledger builds for the golden sale,
// for tests and manual tries against the emulator.

export const SEED_SETUP = {
  invoiceType: X3_SETUP.invoiceType,
  creditMemoType: X3_SETUP.creditMemoType,
  entryTypes: X3_SETUP.entryTypes,
};

export function sampleInvoice(orderId: string, date: string): InvoiceDoc {
  const docKey = `sale:${orderId}#invoice`;
  return {
    type: 'invoice',
    kind: 'invoice',
    docKey,
    reference: documentReference(docKey),
    site: 'NYC01',
    customer: 'WALKIN',
    date,
    currency: 'USD',
    lines: [
      {
        product: 'BEANS-HOUSE',
        description: 'House blend beans 1 kg',
        quantity: '2',
        grossPrice: 1200,
        discount: 240,
        taxCode: 'NY1',
        taxAmount: 192,
        netAmount: 2160,
      },
      {
        product: 'MUG-STD',
        description: 'Stoneware mug',
        quantity: '1',
        grossPrice: 800,
        discount: 80,
        taxCode: 'NY1',
        taxAmount: 64,
        netAmount: 720,
      },
    ],
    totalNet: 2880,
    totalTax: 256,
  };
}

export function sampleRevenueEntry(
  orderId: string,
  date: string,
): JournalEntryDoc {
  const docKey = `sale:${orderId}#revenue`;
  return {
    type: 'entry',
    kind: 'revenue',
    docKey,
    reference: documentReference(docKey),
    site: 'NYC01',
    date,
    currency: 'USD',
    description: `Square sale ${orderId}`,
    lines: [
      {
        account: 'CLEARING-CARD',
        side: 'debit',
        amount: 3436,
        description: 'Card',
      },
      {
        account: 'A-COFFEE',
        side: 'credit',
        amount: 2160,
        description: 'Coffee',
      },
      { account: 'A-MERCH', side: 'credit', amount: 720, description: 'Merch' },
      {
        account: 'TAX-PAYABLE',
        side: 'credit',
        amount: 256,
        description: 'Tax',
      },
      {
        account: 'TIPS-PAYABLE',
        side: 'credit',
        amount: 300,
        description: 'Tips',
      },
    ],
  };
}

export function sampleCustomer(code: string, name: string): CustomerDoc {
  return {
    type: 'customer',
    docKey: `customer:${code}`,
    code,
    category: X3_SETUP.customerCategory,
    name,
    currency: 'USD',
    country: 'US',
    city: 'New York',
    email: 'ada@example.com',
  };
}
