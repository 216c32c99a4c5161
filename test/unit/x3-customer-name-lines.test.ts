import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerName } from '../../lib/ledger/customer';
import type { CustomerDoc } from '../../lib/ledger/types';
import { soapCustomerView } from '../../lib/x3/soap-views';
import { customerView } from '../../lib/x3/view-models';

// A customer name as X3's company name BPRNAM, two lines of 35
// characters: kept up to 70 by the ledger, split between characters,
// never inside a surrogate pair or between a letter and its accent.

function doc(name: string): CustomerDoc {
  return {
    type: 'customer',
    docKey: 'customer:C1#customer',
    code: 'SQC-1',
    category: 'RETL',
    name,
    currency: 'USD',
  };
}

/** The BPRNAM items the SOAP template sends. */
const lines = (name: string) =>
  soapCustomerView(doc(name)).nameItems.map((i) => i.item);

const company = (name: string) =>
  customerName({ id: 'C1', company_name: name });

const A = (n: number) => 'A'.repeat(n);
const B = (n: number) => 'B'.repeat(n);

describe('BPRNAM lines of a customer name', () => {
  test('35 characters: one line, no empty second one', () => {
    assert.deepEqual(lines(A(35)), [A(35)]);
    assert.deepEqual(lines(`${A(35)} `), [A(35)]);
    assert.equal(soapCustomerView(doc(A(35))).nameCount, 1);
  });

  test('36 and 70 characters: two lines, the first one full', () => {
    assert.deepEqual(lines(A(35) + B(1)), [A(35), B(1)]);
    assert.deepEqual(lines(A(35) + B(35)), [A(35), B(35)]);
    assert.equal(company(A(35) + B(35)), A(35) + B(35));
  });

  test('71 characters: the ledger keeps 70', () => {
    assert.equal(company(A(35) + B(36)), A(35) + B(35));
    assert.deepEqual(lines(A(35) + B(36)), [A(35), B(35)]);
  });

  test('an emoji at the boundary moves whole to the second line', () => {
    const name = `${A(34)}\u{1F600}${B(5)}`;
    assert.deepEqual(lines(name), [A(34), `\u{1F600}${B(5)}`]);
    assert.equal(company(`${A(69)}\u{1F600}`), A(69));
    assert.equal(customerView(doc(name)).companyName, A(34));
  });

  test('a decomposed accent stays with its letter', () => {
    const conceicao = 'Conceic\u0327a\u0303o';
    const name = B(28) + conceicao + B(5);
    assert.deepEqual(lines(name), [`${B(28)}Concei`, `c\u0327a\u0303o${B(5)}`]);
  });

  test('broken at a space when the rest fits, accents intact', () => {
    const name = 'Comercial de Ferragens e Materiais de Construção Ltda';
    assert.equal(company(name), name);
    assert.deepEqual(lines(name), [
      'Comercial de Ferragens e Materiais',
      'de Construção Ltda',
    ]);
    const view = customerView(doc(name));
    assert.equal(view.companyName, 'Comercial de Ferragens e Materiais');
    assert.equal(view.companyName2, 'de Construção Ltda');
  });

  test('a space whose rest would not fit: cut between characters', () => {
    const name = `Padaria ${A(60)}`;
    assert.deepEqual(lines(name), [`Padaria ${A(27)}`, A(33)]);
  });

  test('a short name cut from the name ends without a space', () => {
    // derived codes: the short name is the name's first 10 characters
    const view = customerView(doc('Lindqvist Design Studio'));
    assert.equal(view.shortName, 'Lindqvist');
  });
});
