import type { Location } from '../../lib/square/types';
import {
  LOCATIONS,
  SEED_CURRENCY,
  SEED_MERCHANT_ID,
  SEED_TIMEZONE,
} from '../seed/business';

// The demo merchant's locations as Square's Locations API shows them.

const ADDRESSES: Record<string, Record<string, string>> = {
  L1HARBOURST01: {
    address_line_1: '14 Harbour Street',
    locality: 'New York',
    administrative_district_level_1: 'NY',
    postal_code: '10004',
    country: 'US',
  },
  L2MARKETSQ002: {
    address_line_1: '201 Market Square',
    locality: 'Brooklyn',
    administrative_district_level_1: 'NY',
    postal_code: '11201',
    country: 'US',
  },
  L3WEBSTORE003: {
    address_line_1: '14 Harbour Street',
    address_line_2: 'Online orders',
    locality: 'New York',
    administrative_district_level_1: 'NY',
    postal_code: '10004',
    country: 'US',
  },
};

export function seedLocations(): Location[] {
  return LOCATIONS.map((l) => ({
    id: l.id,
    name: l.name,
    address: ADDRESSES[l.id],
    timezone: SEED_TIMEZONE,
    capabilities: ['CREDIT_CARD_PROCESSING', 'AUTOMATIC_TRANSFERS'],
    status: 'ACTIVE',
    created_at: '2023-03-01T14:00:00Z',
    merchant_id: SEED_MERCHANT_ID,
    country: 'US',
    language_code: 'en-US',
    currency: SEED_CURRENCY,
    business_name: 'ML Coffee Roasters',
    type: 'PHYSICAL',
    mcc: '5499',
  }));
}

export function mainLocationId(): string {
  return (LOCATIONS.find((l) => l.main) ?? LOCATIONS[0]).id;
}
