import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerDoc } from '../../lib/ledger/customer';
import type { ResolvedMapping } from '../../lib/ledger/types';
import type { Customer } from '../../lib/square/types';
import { X3RestClient } from '../../lib/x3/rest-client';
import { X3SoapClient } from '../../lib/x3/soap-client';
import { parseResultXml } from '../../lib/x3/soap-result';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { DEMO_SOAP_SETTINGS, demoGateway } from './x3-demo-gateway';

// A Square company name longer than one X3 name line, from the Square
// customer to X3 and back: over SOAP both BPRNAM lines arrive and read
// back whole; over GraphQL only BPRNAM(0) is sent (the docs do not say
// how a mutation carries the second line), cut between two characters.

const LONG = 'Comercial de Ferragens e Materiais de Construção Ltda';
const SOAP = DEMO_SOAP_SETTINGS;
const mapping = {
  currency: 'USD',
  customerCategory: 'RETL',
} as ResolvedMapping;

const emulator = createX3Emulator();
let baseUrl = '';

before(async () => {
  seedX3(emulator);
  baseUrl = await emulator.start(0, '127.0.0.1');
});
after(() => emulator.stop());

async function write(transport: 'soap' | 'graphql', c: Customer) {
  const code = c.id;
  await demoGateway(baseUrl, transport).upsertCustomer(
    customerDoc(c, mapping, { code }),
  );
  return emulator.documents().customers.find((x) => x.code === code);
}

describe('a company name over two X3 lines', () => {
  test('SOAP: both BPRNAM lines stored and read back whole', async () => {
    const stored = await write('soap', {
      id: 'SQ-LONG-SOAP',
      company_name: LONG,
    });

    assert.equal(stored?.companyName, 'Comercial de Ferragens e Materiais');
    assert.equal(stored?.companyName2, 'de Construção Ltda');
    const soap = new X3SoapClient({ baseUrl, ...SOAP, context: SOAP });
    const read = await soap.read('YBPC', [
      { key: 'BPCNUM', value: 'SQ-LONG-SOAP' },
    ]);
    const names = parseResultXml(read.resultXml!).groups.BPRC_1.BPRNAM;
    assert.deepEqual(names, [
      'Comercial de Ferragens e Materiais',
      'de Construção Ltda',
    ]);
    assert.equal((names as string[]).join(' '), LONG);

    const rest = new X3RestClient({ baseUrl, endpoint: 'SEED', basic: SOAP });
    const details = await rest.details('BPCUSTOMER', 'SQ-LONG-SOAP');
    assert.equal((details.BPRNAM as string[]).join(' '), LONG);
  });

  test('SOAP: an emoji at the boundary is not split', async () => {
    const name = `${'A'.repeat(34)}\u{1F600} ${'B'.repeat(40)}`;
    const stored = await write('soap', {
      id: 'SQ-EMOJI-SOAP',
      company_name: name,
    });

    assert.equal(stored?.companyName, 'A'.repeat(34));
    assert.equal(stored?.companyName2, `\u{1F600} ${'B'.repeat(32)}`);
  });

  test('the emulator refuses a line over 35 characters, or a third', async () => {
    const soap = new X3SoapClient({ baseUrl, ...SOAP, context: SOAP });
    const save = (...items: string[]) =>
      soap.save(
        'YBPC',
        '<PARAM><GRP ID="BPC0_1"><FLD NAME="BCGCOD">RETL</FLD></GRP>' +
          '<GRP ID="BPRC_1"><LST NAME="BPRNAM">' +
          items.map((i) => `<ITM>${i}</ITM>`).join('') +
          '</LST></GRP><GRP ID="BPC2_1"><FLD NAME="CUR">USD</FLD></GRP>' +
          '</PARAM>',
      );
    const refusal = async (...items: string[]) =>
      (await save(...items)).messages.map((m) => m.message);

    assert.deepEqual(await refusal('A'.repeat(36), 'B'), [
      'Company name : 36 characters, maximum 35',
    ]);
    assert.deepEqual(await refusal('A', 'B'.repeat(36)), [
      'BPRNAM(1) : 36 characters, maximum 35',
    ]);
    assert.deepEqual(await refusal('A', 'B', 'C'), [
      'BPRNAM : 3 items, maximum 2',
    ]);
    assert.equal((await save('A'.repeat(35), 'B'.repeat(35))).status, 1);
  });

  test('GraphQL: BPRNAM(0) alone, whole words', async () => {
    const stored = await write('graphql', {
      id: 'SQ-LONG-GQL',
      company_name: LONG,
    });

    assert.equal(stored?.companyName, 'Comercial de Ferragens e Materiais');
    assert.equal(stored?.companyName2, undefined);
  });

  test('GraphQL: no half emoji, no accent torn from its letter', async () => {
    const emoji = await write('graphql', {
      id: 'SQ-EMOJI-GQL',
      company_name: `${'A'.repeat(34)}\u{1F600}${'B'.repeat(10)}`,
    });
    assert.equal(emoji?.companyName, 'A'.repeat(34));

    const accent = await write('graphql', {
      id: 'SQ-NFD-GQL',
      company_name: `${'B'.repeat(28)}Conceic\u0327a\u0303o${'B'.repeat(10)}`,
    });
    assert.equal(accent?.companyName, `${'B'.repeat(28)}Concei`);
  });
});
