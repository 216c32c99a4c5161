// The Square objects the connector reads. Only the fields it uses are
// named; every object keeps unknown fields, because Square adds fields
// and enum values between versions and the raw object is what we store.

export interface Money {
  amount?: number | null;
  currency?: string;
}

interface Open {
  [field: string]: unknown;
}

export interface ProcessingFee extends Open {
  effective_at?: string;
  type?: string;
  amount_money?: Money;
}

export interface Payment extends Open {
  id: string;
  created_at?: string;
  updated_at?: string;
  status?: string;
  source_type?: string;
  amount_money?: Money;
  tip_money?: Money;
  total_money?: Money;
  refunded_money?: Money;
  processing_fee?: ProcessingFee[];
  card_details?: { status?: string; card?: { card_brand?: string } } & Open;
  external_details?: { type?: string; source?: string } & Open;
  location_id?: string;
  order_id?: string;
  customer_id?: string;
  refund_ids?: string[];
  version_token?: string;
}

export interface AppliedRef extends Open {
  uid?: string;
  tax_uid?: string;
  discount_uid?: string;
  service_charge_uid?: string;
  applied_money?: Money;
}

export interface OrderLineItem extends Open {
  uid?: string;
  name?: string;
  quantity: string;
  catalog_object_id?: string;
  variation_name?: string;
  item_type?: string;
  base_price_money?: Money;
  gross_sales_money?: Money;
  total_tax_money?: Money;
  total_discount_money?: Money;
  total_money?: Money;
  applied_taxes?: AppliedRef[];
  applied_discounts?: AppliedRef[];
}

export interface OrderLineItemTax extends Open {
  uid?: string;
  catalog_object_id?: string;
  name?: string;
  type?: string;
  percentage?: string;
  applied_money?: Money;
  scope?: string;
}

export interface OrderServiceCharge extends Open {
  uid?: string;
  name?: string;
  catalog_object_id?: string;
  applied_money?: Money;
  total_money?: Money;
  total_tax_money?: Money;
  applied_taxes?: AppliedRef[];
}

export interface Tender extends Open {
  id?: string;
  type: string;
  amount_money?: Money;
  tip_money?: Money;
  processing_fee_money?: Money;
  payment_id?: string;
  customer_id?: string;
  card_details?: { card?: { card_brand?: string } } & Open;
}

export interface OrderReturnLineItem extends Open {
  uid?: string;
  source_line_item_uid?: string;
  name?: string;
  quantity: string;
  catalog_object_id?: string;
  item_type?: string;
  base_price_money?: Money;
  total_tax_money?: Money;
  total_discount_money?: Money;
  total_money?: Money;
}

export interface OrderReturn extends Open {
  uid?: string;
  source_order_id?: string;
  return_line_items?: OrderReturnLineItem[];
  return_service_charges?: Open[];
  return_taxes?: Open[];
  return_discounts?: Open[];
  return_amounts?: OrderMoneyAmounts;
}

export interface OrderMoneyAmounts extends Open {
  total_money?: Money;
  tax_money?: Money;
  discount_money?: Money;
  tip_money?: Money;
  service_charge_money?: Money;
}

export interface OrderRefund extends Open {
  id: string;
  tender_id?: string;
  amount_money?: Money;
  status?: string;
}

export interface Order extends Open {
  id: string;
  location_id: string;
  customer_id?: string;
  reference_id?: string;
  state?: string;
  version?: number;
  created_at?: string;
  updated_at?: string;
  closed_at?: string;
  line_items?: OrderLineItem[];
  taxes?: OrderLineItemTax[];
  discounts?: Open[];
  service_charges?: OrderServiceCharge[];
  tenders?: Tender[];
  refunds?: OrderRefund[];
  returns?: OrderReturn[];
  return_amounts?: OrderMoneyAmounts;
  net_amounts?: OrderMoneyAmounts;
  rounding_adjustment?: { amount_money?: Money } & Open;
  total_money?: Money;
  total_tax_money?: Money;
  total_discount_money?: Money;
  total_tip_money?: Money;
  total_service_charge_money?: Money;
}

export interface PaymentRefund extends Open {
  id: string;
  status?: string;
  location_id?: string;
  amount_money?: Money;
  processing_fee?: ProcessingFee[];
  payment_id?: string;
  order_id?: string;
  destination_type?: string;
  reason?: string;
  created_at?: string;
  updated_at?: string;
}

export interface Address extends Open {
  address_line_1?: string;
  address_line_2?: string;
  locality?: string;
  administrative_district_level_1?: string;
  postal_code?: string;
  country?: string;
}

export interface Customer extends Open {
  id: string;
  created_at?: string;
  updated_at?: string;
  given_name?: string;
  family_name?: string;
  company_name?: string;
  email_address?: string;
  phone_number?: string;
  address?: Address;
  version?: number;
}

export interface Location extends Open {
  id: string;
  name?: string;
  timezone?: string;
  currency?: string;
  status?: string;
  country?: string;
}

export interface WebhookEvent extends Open {
  merchant_id?: string;
  type: string;
  event_id: string;
  created_at?: string;
  location_id?: string;
  data?: {
    type?: string;
    id?: string;
    deleted?: boolean;
    object?: Record<string, unknown>;
  };
}
