import type { Customer } from '../../lib/square/types';

// The demo's Square customers. The first four are "returning": they
// existed long before the seeded day, so the X3 seed creates them up
// front; the other three sign up during the day.

export interface SeedCustomer extends Customer {
  returning: boolean;
}

const address = (line: string, locality: string, postal: string) => ({
  address_line_1: line,
  locality,
  administrative_district_level_1: 'NY',
  postal_code: postal,
  country: 'US',
});

export const SEED_CUSTOMERS: SeedCustomer[] = [
  {
    id: '0SYVDPFS1YPY8BRHX1GHKE2IDX',
    returning: true,
    given_name: 'Maya',
    family_name: 'Okafor',
    email_address: 'maya.okafor@example.com',
    phone_number: '+1-212-555-0141',
    address: address('88 Pearl Street', 'New York', '10004'),
    created_at: '2024-04-11T15:02:19.112Z',
  },
  {
    id: 'PEJK5NASJ5ZH3P3O8O44B5X6OZ',
    returning: true,
    given_name: 'Tomás',
    family_name: 'Reyes',
    email_address: 'tomas.reyes@example.com',
    phone_number: '+1-718-555-0178',
    address: address('19 Court Street', 'Brooklyn', '11201'),
    created_at: '2024-06-02T18:45:03.5Z',
  },
  {
    id: 'J1JVGLIJ9QNDZBGGIENDS576LH',
    returning: true,
    given_name: 'Priya',
    family_name: 'Natarajan',
    email_address: 'priya.n@example.com',
    created_at: '2024-09-23T13:10:44Z',
  },
  {
    id: 'K0528DLRPV9PH3LNL17DFVEBQ6',
    returning: true,
    given_name: 'Jonah',
    family_name: 'Lindqvist',
    company_name: 'Lindqvist Design Studio',
    email_address: 'jonah@lindqvist.example.com',
    phone_number: '+1-646-555-0112',
    address: address('240 Water Street', 'New York', '10038'),
    created_at: '2025-01-15T16:20:00.25Z',
  },
  {
    id: '4SR5M9PZA4NI6V943FCZ795PXT',
    returning: false,
    given_name: 'Elena',
    family_name: 'Marsh',
    email_address: 'elena.marsh@example.com',
  },
  {
    id: 'CWZUJQYN8KDLWNQE5WINCVYLTZ',
    returning: false,
    given_name: 'Sam',
    family_name: 'Whitfield',
    phone_number: '+1-917-555-0190',
  },
  {
    id: '3L13VH5ECUHJUWB4W8S046TTAE',
    returning: false,
    given_name: 'Wren',
    family_name: 'Adeyemi',
    email_address: 'wren.adeyemi@example.com',
    address: address('5 Main Street', 'Brooklyn', '11201'),
  },
];

export const RETURNING_CUSTOMER_IDS: string[] = SEED_CUSTOMERS.filter(
  (c) => c.returning,
).map((c) => c.id);

export function customerName(c: Customer): string {
  const person = [c.given_name, c.family_name].filter(Boolean).join(' ');
  return person || c.company_name || c.email_address || c.id;
}
