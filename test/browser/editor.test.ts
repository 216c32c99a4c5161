import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemo, type Demo } from '../../sandbox/demo';
import { CHROMIUM, openEditor, type Editor } from './chromium';
import { yesterdayIn } from '../../sandbox/square/emulator';
import { LOCATIONS, SEED_TIMEZONE } from '../../sandbox/seed/business';

// Story: a newcomer opens the Node-RED editor with this package installed.
// Every node of the package is in the palette with its icon and opens an
// edit dialog without an error; the config nodes' "test connection"
// buttons reach Square and X3; the example flow is offered under
// Import > Examples; a deploy from the editor posts the seeded day, and the
// debug sidebar shows the invoices.

const packageRoot = path.resolve(__dirname, '..', '..', '..');
const artifacts = path.join(packageRoot, 'test-artifacts', 'browser');
const pkg = JSON.parse(
  fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'),
) as { name: string; 'node-red': { nodes: Record<string, string> } };
const CONFIG_TYPES = ['sqx3-square-config', 'sqx3-x3-config', 'sqx3-ledger'];
const types = Object.keys(pkg['node-red'].nodes);
const flowTypes = types.filter((type) => !CONFIG_TYPES.includes(type));

type Text = { textContent: unknown };

const skip =
  !fs.existsSync(CHROMIUM) && !process.env.CI
    ? `${CHROMIUM} is missing (apt-get install chromium); CI runs this test`
    : false;

describe('the package in the Node-RED editor', { skip }, () => {
  let demo: Demo;
  let editor: Editor;
  let userDir: string;
  const log: string[] = [];

  before(async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-browser-'));
    // No poll until the test deploys from the editor, so the postings
    // reach a debug sidebar that is already connected.
    demo = await startDemo({
      packageRoot,
      userDir,
      seedDate: yesterdayIn(SEED_TIMEZONE, new Date()),
      firstPollDelaySec: 3600,
      log: (line) => log.push(line),
    });
    editor = await openEditor(demo.editorUrl, artifacts);
    await editor.page.waitForFunction(
      'window.RED && RED.nodes && RED.nodes.getType("sqx3-audit") && ' +
        'RED.nodes.filterNodes({ type: "sqx3-square-poll" }).length === 1',
      undefined,
      { timeout: 30_000 },
    );
  });

  after(async () => {
    await editor?.close();
    await demo?.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
    if (process.env.SQX3_SHOW_LOG) console.log(log.join('\n'));
  });

  test('every flow node is in the palette with its own icon', async () => {
    const { page } = editor;
    for (const type of flowTypes) {
      const selector = `.red-ui-palette-node[data-palette-type="${type}"]`;
      await page.waitForSelector(selector, { timeout: 10_000 });
      const icon = await page.$eval(
        `${selector} .red-ui-palette-icon`,
        (el) =>
          (el as unknown as { style: { backgroundImage: string } }).style
            .backgroundImage,
      );
      const match = /url\("?([^")]+)"?\)/.exec(icon);
      assert.ok(match, `${type}: icon ${icon}`);
      const file = decodeURIComponent(match[1]).split('/').pop() ?? '';
      assert.ok(
        match[1].includes(`icons/${pkg.name}/`) &&
          fs.existsSync(
            path.join(__dirname, '..', '..', 'nodes', 'icons', file),
          ),
        `${type}: icon ${match[1]} is not one of the package's`,
      );
      const res = await fetch(new URL(match[1], `${demo.editorUrl}/`));
      assert.equal(res.status, 200, `${type} icon ${match[1]}`);
      assert.match(await res.text(), /<svg/);
    }
    const palette = await page.$$eval(
      '.red-ui-palette-node[data-palette-type^="sqx3-"]',
      (els) => els.length,
    );
    assert.equal(
      palette,
      flowTypes.length,
      'config nodes stay out of the palette',
    );
    await editor.shot('palette');
  });

  test('each node opens its edit dialog with labels from the catalog', async () => {
    const { page } = editor;
    const errorsAt: string[] = [];
    for (const type of types) {
      const before = editor.errors.length;
      const config = CONFIG_TYPES.includes(type);
      const id = await page.evaluate(
        `(RED.nodes.filterNodes({ type: "${type}" })[0] || ` +
          `RED.nodes.node((function () { var found; RED.nodes.eachConfig(` +
          `function (n) { if (n.type === "${type}") found = n.id; }); ` +
          `return found; })()) || {}).id`,
      );
      assert.ok(id, `${type} in the deployed flow`);
      await page.evaluate(
        config
          ? `RED.editor.editConfig("", "${type}", "${id}")`
          : `RED.editor.edit(RED.nodes.node("${id}"))`,
      );
      const prefix = config ? 'node-config-input' : 'node-input';
      let labels: string[];
      try {
        await page.waitForSelector(`#${prefix}-name`, { state: 'visible' });
        labels = await page.$$eval(
          '.red-ui-tray label [data-i18n], .red-ui-tray label[data-i18n]',
          (els) => els.map((el) => String((el as unknown as Text).textContent)),
        );
        await editor.shot(`edit-${type}`);
      } finally {
        await page.click(
          config ? '#node-config-dialog-cancel' : '#node-dialog-cancel',
        );
        await page.waitForSelector(`#${prefix}-name`, { state: 'detached' });
      }
      if (editor.errors.length > before) errorsAt.push(type);
      assert.ok(labels.length > 1, `${type}: labels from the catalog`);
      for (const label of labels) {
        assert.ok(
          /^[^.]+$/.test(label.trim()),
          `${type}: untranslated "${label}"`,
        );
      }
    }
    assert.deepEqual(editor.errors, [], `errors after ${errorsAt.join(', ')}`);
  });

  test('"test connection" reaches Square and X3 from the editor', async () => {
    const { page } = editor;
    for (const [type, expected] of [
      ['sqx3-square-config', /^✓ \d+ locations\b/],
      ['sqx3-x3-config', /^✓ \S/],
    ] as const) {
      const short = type.replace('sqx3-', '');
      await page.evaluate(
        `(function () { var id; RED.nodes.eachConfig(function (n) {` +
          ` if (n.type === "${type}") id = n.id; });` +
          ` RED.editor.editConfig("", "${type}", id); })()`,
      );
      await page.click(`#sqx3-test-${short}`);
      const result = `#sqx3-test-${short}-result`;
      await page.waitForFunction(
        `/^[✓✗]/.test(document.querySelector('${result}').textContent)`,
      );
      const text = await page.textContent(result);
      await editor.shot(`test-${short}`);
      await page.click('#node-config-dialog-cancel');
      await page.waitForSelector(result, { state: 'detached' });
      assert.match(text ?? '', expected);
    }
  });

  test('the example flow is offered under Import > Examples', async () => {
    const res = await fetch(`${demo.editorUrl}/library/examples/flows/`);
    const listing = JSON.stringify(await res.json());
    assert.ok(listing.includes(JSON.stringify(pkg.name)), listing);

    const { page } = editor;
    await page.evaluate(
      'RED.actions.invoke("core:show-examples-import-dialog")',
    );
    const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
    const item = (text: string) =>
      tab.locator('.red-ui-treeList-label', { hasText: text }).first();
    try {
      await item(pkg.name).click({ timeout: 10_000 });
      await item('Square to Sage X3').click({ timeout: 10_000 });
      await page.waitForSelector('#red-ui-clipboard-dialog-ok:not(.disabled)');
      await editor.shot('import-examples');
    } finally {
      await page.click('#red-ui-clipboard-dialog-cancel');
    }
  });

  test("the mapping form offers X3's codes and checks the tables", async () => {
    const { page } = editor;
    const id = await page.evaluate(
      'RED.nodes.filterNodes({ type: "sqx3-mapping" })[0].id',
    );
    await page.evaluate(`RED.editor.edit(RED.nodes.node("${id}"))`);
    let sites: { code: string; description: string }[];
    let tables: string;
    let checked: string;
    let problems: number;
    try {
      await page.waitForFunction(
        'document.querySelectorAll("#sqx3-list-sites option").length > 0',
        undefined,
        { timeout: 15_000 },
      );
      sites = await page.$$eval('#sqx3-list-sites option', (els) =>
        els.map((el) => {
          const option = el as unknown as {
            value: string;
            textContent: string;
          };
          return { code: option.value, description: option.textContent };
        }),
      );

      // a site chosen from X3's list goes into the tables' JSON
      await page.selectOption('#sqx3-map-table', 'sites');
      await page.fill('#sqx3-map-key', 'L9BROWSER009');
      await page.fill('#sqx3-map-code', LOCATIONS[1].site);
      await page.waitForFunction(
        'document.querySelector("#sqx3-map-code-description").textContent',
      );
      const description = await page.textContent('#sqx3-map-code-description');
      assert.equal(description, LOCATIONS[1].name);
      await page.click('#sqx3-map-add');
      tables = String(
        await page.evaluate(
          `(function () { var n = RED.nodes.node("${id}"); ` +
            `return n.editor ? n.editor.getValue() : ""; })()`,
        ),
      );

      await page.click('#sqx3-mapping-check');
      await page.waitForFunction(
        '/^[✓✗]/.test(document.querySelector(' +
          '"#sqx3-mapping-check-result").textContent)',
        undefined,
        { timeout: 15_000 },
      );
      checked = (await page.textContent('#sqx3-mapping-check-result')) ?? '';
      problems = await page.$$eval(
        '#sqx3-mapping-check-result li',
        (els) => els.length,
      );
      await editor.shot('mapping-reference');
    } finally {
      await page.click('#node-dialog-cancel');
      await page.waitForSelector('#sqx3-map-table', { state: 'detached' });
    }

    assert.deepEqual(
      sites.map((s) => `${s.code} ${s.description}`).sort(),
      LOCATIONS.map((l) => `${l.site} ${l.name}`).sort(),
    );
    assert.equal(
      (JSON.parse(tables) as { sites: Record<string, string> }).sites
        .L9BROWSER009,
      LOCATIONS[1].site,
    );
    // the example's tables name only codes the seeded X3 has
    assert.match(checked, /^✓ Every code/, checked);
    assert.equal(problems, 0);
    assert.deepEqual(editor.errors, []);
  });

  test('a deploy from the editor posts the day; invoices show in debug', async () => {
    const { page } = editor;
    const poll = await page.evaluate(
      'RED.nodes.filterNodes({ type: "sqx3-square-poll" })[0].id',
    );
    await page.evaluate(`RED.editor.edit(RED.nodes.node("${poll}"))`);
    await page.fill('#node-input-startDelaySec', '1');
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-input-startDelaySec', {
      state: 'detached',
    });

    await page.evaluate('RED.sidebar.show("debug")');
    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction('!RED.nodes.dirty()', undefined, {
      timeout: 20_000,
    });

    const posted = page.locator('.red-ui-debug-msg', {
      hasText: /posted.*SQI\d{7}/s,
    });
    try {
      await posted.first().waitFor({ timeout: 60_000 });
    } finally {
      await editor.shot('debug-sidebar');
    }
    const invoices = demo.x3.documents().invoices.length;
    const shown = await posted.count();
    assert.ok(invoices > 0, 'X3 holds invoices');
    assert.ok(
      shown > 0 && shown <= invoices,
      `${shown} shown, ${invoices} in X3`,
    );
    assert.deepEqual(editor.errors, []);
  });
});
