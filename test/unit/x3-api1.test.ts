import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { X3RestClient } from '../../lib/x3/rest-client';
import { X3Error } from '../../lib/x3/errors';

const emulator = createX3Emulator();
const basic = { user: 'sqx3', password: 'sqx3-demo' };
const once = { attempts: 1, baseMs: 1, maxMs: 1 };
let base = '';
let client: X3RestClient;
const urls: string[] = [];

before(async () => {
  base = await emulator.start();
  seedX3(emulator, {
    customers: Array.from({ length: 25 }, (_, i) => ({
      code: `C${String(i + 1).padStart(4, '0')}`,
      name: `Customer ${i + 1}`,
      country: i % 2 === 0 ? 'US' : 'CA',
    })),
  });
  client = new X3RestClient({
    baseUrl: base,
    endpoint: 'SEED',
    basic,
    backoff: once,
    fetch: (url, init) => {
      urls.push(String(url));
      return fetch(url, init);
    },
  });
});

after(() => emulator.stop());

describe('api1 $query', () => {
  test('follows $links.$next to the last page', async () => {
    urls.length = 0;
    const rows = await client.query('BPCUSTOMER', { count: 10 });
    assert.equal(rows.length, 26);
    assert.equal(urls.length, 3);
    assert.equal(rows[0].$key, 'C0001');
    assert.equal(rows[25].BPCNUM, 'WALKIN');
    assert.match(String(rows[0].$uuid), /^[0-9a-f-]{36}$/);
  });

  test('default page size is 20', async () => {
    const url =
      `${base}/api1/x3/erp/SEED/BPCUSTOMER` +
      '?representation=BPCUSTOMER.$query';
    const auth = 'Basic ' + Buffer.from('sqx3:sqx3-demo').toString('base64');
    const body = await (
      await fetch(url, { headers: { authorization: auth } })
    ).json();
    assert.equal(body.$itemsPerPage, 20);
    assert.equal(body.$resources.length, 20);
    assert.match(body.$links.$next.$url, /startIndex=21/);
  });

  test('where with and/or, orderBy desc and key=gt.', async () => {
    const canadians = await client.query('BPCUSTOMER', {
      where: "(CRY eq 'CA' and BPCNUM le 'C0006') or BPCNUM eq 'WALKIN'",
      orderBy: 'BPCNUM desc',
    });
    assert.deepEqual(
      canadians.map((r) => r.$key),
      ['WALKIN', 'C0006', 'C0004', 'C0002'],
    );

    const afterKey = await client.query('BPCUSTOMER', { key: 'gt.C0023' });
    assert.deepEqual(
      afterKey.map((r) => r.$key),
      ['C0024', 'C0025', 'WALKIN'],
    );

    const none = await client.query('ITMMASTER', { where: "ITMREF eq 'NOPE'" });
    assert.deepEqual(none, []);
  });

  test('an unknown property in where is a 500 with a diagnosis', async () => {
    await assert.rejects(
      client.query('GACCOUNT', { where: "FOO eq 'x'" }),
      (error: X3Error) => error.status === 500 && /FOO/.test(error.message),
    );
  });

  test('sites, accounts, tax codes of the demo business', async () => {
    const sites = await client.query('FACILITY');
    assert.deepEqual(
      sites.map((s) => s.FCY),
      ['NYC01', 'NYC02', 'WEB01'],
    );
    const tax = await client.details('TABVAT', 'NY1');
    assert.equal(tax.VATRAT, 8.875);
    const accounts = await client.query('GACCOUNT');
    assert.equal(accounts.find((a) => a.ACC === 'AR-TRADE')?.COLFLG, 2);
  });
});

describe('api1 errors', () => {
  test('an unknown key is a 404 with $diagnoses', async () => {
    await assert.rejects(
      client.details('BPCUSTOMER', 'NOBODY'),
      (error: X3Error) =>
        error.code === 'not-found' &&
        error.status === 404 &&
        error.messages[0] === 'NOBODY : Record does not exist',
    );
  });

  test('no or wrong Basic credentials is a 401 asking for Basic', async () => {
    const url = `${base}/api1/x3/erp/SEED/FACILITY?representation=FACILITY.$query`;
    const res = await fetch(url);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm=/);

    const wrong = new X3RestClient({
      baseUrl: base,
      endpoint: 'SEED',
      backoff: once,
      basic: { user: 'sqx3', password: 'nope' },
    });
    await assert.rejects(
      wrong.query('FACILITY'),
      (error: X3Error) => error.code === 'unauthorized',
    );
  });

  test('the representation is mandatory', async () => {
    const auth = 'Basic ' + Buffer.from('sqx3:sqx3-demo').toString('base64');
    const res = await fetch(`${base}/api1/x3/erp/SEED/FACILITY`, {
      headers: { authorization: auth },
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.match(body.$diagnoses[0].$message, /representation/);
  });

  test('warns about plain HTTP to another host', () => {
    const warnings: string[] = [];
    new X3RestClient({
      baseUrl: 'http://x3.example.com:8124',
      endpoint: 'SEED',
      basic,
      onWarning: (w) => warnings.push(w),
    });
    new X3RestClient({
      baseUrl: base,
      endpoint: 'SEED',
      basic,
      onWarning: (w) => warnings.push(w),
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /x3\.example\.com:8124.*plain HTTP/);
  });
});

describe('api1 writes on BPCUSTOMER', () => {
  test('$template has defaults without $ keys', async () => {
    const template = await client.template('BPCUSTOMER');
    assert.equal(template.BCGCOD, 'RETL');
    assert.ok(Object.keys(template).every((k) => !k.startsWith('$')));
  });

  test('$create answers 201 with Location and the stored record', async () => {
    const { location, record } = await client.create('BPCUSTOMER', {
      BPCNUM: 'API1NEW',
      BPCNAM: 'Made through api1',
      BCGCOD: 'RETL',
      CUR: 'USD',
      CRY: 'US',
      BPADDRESS: [{ BPAADDLIG: ['1 Pier St', '', ''] }],
    });
    assert.equal(record.BPCNUM, 'API1NEW');
    assert.match(
      location,
      /BPCUSTOMER\('API1NEW'\)\?representation=BPCUSTOMER\.\$details$/,
    );
    const read = await client.details('BPCUSTOMER', 'API1NEW');
    assert.equal(read.BPCNAM, 'Made through api1');
    const [address] = read.BPADDRESS as { BPAADDLIG: string[] }[];
    assert.equal(address.BPAADDLIG[0], '1 Pier St');
    assert.equal(
      emulator.documents().customers.find((c) => c.code === 'API1NEW')
        ?.companyName,
      'Made through api1',
    );
  });

  test('$edit changes only the fields sent', async () => {
    const edited = await client.edit('BPCUSTOMER', 'API1NEW', {
      TEL: '555-0100',
    });
    assert.equal(edited.TEL, '555-0100');
    assert.equal(edited.BPCNAM, 'Made through api1');
  });

  test('business rules come back as $diagnoses, then X3Error', async () => {
    await assert.rejects(
      client.create('BPCUSTOMER', {
        BPCNUM: 'API1NEW',
        BPCNAM: 'x'.repeat(36),
        BCGCOD: 'NOPE',
        CUR: 'USD',
      }),
      (error: X3Error) =>
        error.code === 'business' &&
        error.status === 400 &&
        error.messages.some((m) =>
          /Customer category NOPE : Record does not exist/.test(m),
        ) &&
        error.messages.some((m) =>
          /Company name : 36 characters, maximum 35/.test(m),
        ) &&
        error.messages.some((m) => /API1NEW : Record already exists/.test(m)),
    );
    await assert.rejects(
      client.edit('BPCUSTOMER', 'NOBODY', { TEL: '1' }),
      (error: X3Error) => /NOBODY : Record does not exist/.test(error.message),
    );
  });

  test('invoices cannot be created through api1', async () => {
    await assert.rejects(
      client.create('SINVOICE', { SIVTYP: 'SQINV' }),
      (error: X3Error) => error.status === 405 && /SOAP/.test(error.message),
    );
  });
});
