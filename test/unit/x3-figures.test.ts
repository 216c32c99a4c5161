import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renewalsPerHour, seededDayRequests } from '../../sandbox/x3/figures';

// The figures of the closing note, measured (node dist/sandbox/x3/figures.js
// prints them at a 10 s posting step). Here one post every 30 s for an
// emulated hour.

describe('token renewals per hour of continuous posting', () => {
  test('basic: none, the header never changes', async () => {
    const f = await renewalsPerHour('basic', 1, 30);
    assert.deepEqual([f.calls, f.failed, f.renewals], [120, 0, 0]);
  });

  test('connected app, 600 s validity: re-signed every 510 s', async () => {
    // iat 30 s back, exp 570 s ahead, re-signed within 60 s of expiry:
    // at 0, 510, 1020, 1530, 2040, 2550, 3060 and 3570 s
    const f = await renewalsPerHour('connected-app', 1, 30);
    assert.deepEqual([f.calls, f.failed, f.unauthorized], [120, 0, 0]);
    assert.equal(f.renewals, 8);
    assert.equal(f.tokenRefreshes, 0);
  });

  test('cloud, 5-minute tokens: refreshed every 240 s', async () => {
    const f = await renewalsPerHour('cloud-oauth', 1, 30);
    assert.deepEqual([f.calls, f.failed, f.unauthorized], [120, 0, 0]);
    assert.equal(f.renewals, 15);
    assert.equal(f.tokenRefreshes, 15);
  });
});

describe('X3 requests per posted sale', () => {
  test('the seeded day through the gateway: one call per document', async () => {
    const day = await seededDayRequests();
    assert.equal(day.held, 0);
    assert.ok(day.sales >= 20, `${day.sales} sales`);
    // every document created once, no look-up before a first post; a
    // customer the ledger never wrote is created without a read, and one
    // X3 holds already is updated once X3 refuses the create
    const customerWrites =
      day.stats.graphqlMutations - day.invoices - day.entries;
    assert.equal(
      customerWrites,
      day.customersCreated + 2 * day.customersUpdated,
    );
    assert.equal(day.stats.graphqlQueries, 0);
    assert.equal(day.stats.tokenRequests, 0);
    assert.ok(
      day.requestsPerSale > 2 && day.requestsPerSale < 4,
      `requests per sale ${day.requestsPerSale}`,
    );
  });
});
