import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// What the Node-RED flow library and its scorecard (node-red-dev validate)
// check before listing a package, read from the files we ship: package.json,
// nodes/<type>.html with its catalog and icon, and the example flows.

const root = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Manifest {
  name: string;
  keywords?: string[];
  license?: string;
  repository?: { url?: string } | string;
  bugs?: unknown;
  engines?: { node?: string };
  files?: string[];
  dependencies?: Record<string, string>;
  'node-red': { version?: string; nodes: Record<string, string> };
}

const pkg = JSON.parse(read('package.json')) as Manifest;
const types = Object.keys(pkg['node-red'].nodes);

interface EditorDef {
  type: string;
  html: string;
  category: string;
  icon: string;
  inputs: number;
  outputs: number;
  help: string;
}

function editorDef(type: string): EditorDef {
  const html = read(`nodes/${type}.html`);
  const field = (name: string) =>
    new RegExp(`\\n    ${name}: ("([^"]*)"|(\\d+))`).exec(html);
  const help = new RegExp(
    `<script type="text/html" data-help-name="${type}">([\\s\\S]*?)</script>`,
  ).exec(html);
  return {
    type,
    html,
    category: field('category')?.[2] ?? '',
    icon: field('icon')?.[2] ?? '',
    inputs: Number(field('inputs')?.[3] ?? 0),
    outputs: Number(field('outputs')?.[3] ?? 0),
    help: help?.[1] ?? '',
  };
}

const defs = types.map(editorDef);
const flowDefs = defs.filter((def) => def.category !== 'config');

/** Only the ">=x.y.z" form is used here; anything else fails the test. */
function admits(range: string | undefined, version: string): boolean {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range ?? '');
  assert.ok(match, `range "${range}" is not of the form >=x.y.z`);
  const want = match.slice(1).map((part) => Number(part ?? 0));
  const have = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (have[i] !== want[i]) return have[i] > want[i];
  }
  return true;
}

function catalogKeys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(
    ([key, inner]) => catalogKeys(inner, prefix ? `${prefix}.${key}` : key),
  );
}

describe('flow library readiness', () => {
  test('package: scoped name, node-red keyword, licence, repository', () => {
    assert.match(pkg.name, /^@[a-z0-9][\w.-]*\/node-red-[\w.-]+$/);
    assert.ok(pkg.keywords?.includes('node-red'), 'keyword node-red');
    assert.match(pkg.license ?? '', /^[A-Za-z0-9.-]+$/);
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')), 'LICENSE file');
    const repo =
      typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    assert.ok(repo || pkg.bugs, 'repository or bugs');
  });

  test('versions: Node-RED 4 and 5 admitted; engines.node fits Node-RED 5', () => {
    assert.ok(admits(pkg['node-red'].version, '4.1.0'));
    assert.ok(admits(pkg['node-red'].version, '5.0.7'));
    assert.ok(
      !admits(pkg['node-red'].version, '3.1.9'),
      'only tested versions',
    );
    assert.ok(
      admits(pkg.engines?.node, '20.0.0'),
      'Node 20, the floor we test',
    );
    assert.ok(
      admits(pkg.engines?.node, '22.9.0'),
      'minimum Node of Node-RED 5',
    );
  });

  test('dependencies: few, each explained in the README, no Node-RED', () => {
    const deps = Object.keys(pkg.dependencies ?? {});
    assert.ok(
      deps.length <= 6,
      `${deps.length} dependencies (scorecard D01: 6)`,
    );
    const readme = read('README.md');
    for (const dep of deps) {
      assert.ok(
        readme.includes(`| \`${dep}\` |`),
        `${dep} explained in README`,
      );
    }
    for (const dev of [
      'node-red',
      'node-red-node-test-helper',
      'playwright-core',
    ]) {
      assert.ok(!deps.includes(dev), `${dev} is a devDependency`);
    }
  });

  test('shipped files: compiled nodes and examples/, built from flows/', () => {
    assert.ok(pkg.files?.includes('examples'));
    assert.ok(
      pkg.files?.some((entry) => entry === 'dist/nodes' || entry === 'dist'),
    );
    for (const [type, file] of Object.entries(pkg['node-red'].nodes)) {
      assert.equal(file, `dist/nodes/${type}.js`);
      assert.ok(fs.existsSync(path.join(root, 'nodes', `${type}.ts`)), type);
    }
    assert.match(read('scripts/build.js'), /'flows'\), examples/);
  });

  test('types: prefixed, one palette category, registered literally', () => {
    const categories = new Set(flowDefs.map((def) => def.category));
    assert.deepEqual([...categories], ['Square X3']);
    for (const def of defs) {
      assert.match(def.type, /^sqx3-/);
      assert.ok(
        def.html.includes(`RED.nodes.registerType("${def.type}", {`),
        def.type,
      );
      assert.ok(
        def.html.includes(`data-template-name="${def.type}"`),
        def.type,
      );
      assert.ok(def.html.includes('<script type="text/javascript">'), def.type);
    }
  });

  test('every flow node is used in an example flow, with a comment node', () => {
    const dir = path.join(root, 'flows');
    const used = new Set<string>();
    let comments = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const flow = JSON.parse(
        fs.readFileSync(path.join(dir, file), 'utf8'),
      ) as {
        type: string;
      }[];
      for (const node of flow) used.add(node.type);
      comments += flow.filter((node) => node.type === 'comment').length;
    }
    const missing = flowDefs
      .map((def) => def.type)
      .filter((type) => !used.has(type));
    assert.deepEqual(missing, [], 'scorecard N02');
    assert.ok(comments > 0, 'the docs ask for a comment node');
  });

  test('every node has its icon, an SVG in icons/', () => {
    for (const def of defs) {
      assert.match(def.icon, /^[\w-]+\.svg$/, def.type);
      const svg = fs.readFileSync(path.join(root, 'icons', def.icon), 'utf8');
      assert.match(
        svg,
        /^<svg [^>]*viewBox="0 0 40 60"/,
        `${def.icon} is 40x60`,
      );
    }
  });

  test('help in the Node-RED style: summary, Inputs, Outputs, Details', () => {
    for (const def of defs) {
      const sections = [...def.help.matchAll(/<h3>([^<]+)<\/h3>/g)].map(
        (m) => m[1],
      );
      assert.match(
        def.help.trimStart(),
        /^<p>[^<]{20,}/,
        `${def.type}: summary first`,
      );
      const wanted = [
        ...(def.inputs > 0 ? ['Inputs'] : []),
        ...(def.outputs > 0 ? ['Outputs'] : []),
        'Details',
      ];
      assert.deepEqual(
        sections.filter((s) => wanted.includes(s)),
        wanted,
        def.type,
      );
    }
  });

  test('every label key the editor uses is in the en-US catalog', () => {
    for (const def of defs) {
      const file = path.join(
        root,
        'nodes',
        'locales',
        'en-US',
        `${def.type}.json`,
      );
      const catalog = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
        string,
        unknown
      >;
      assert.deepEqual(Object.keys(catalog), [def.type]);
      const keys = new Set(catalogKeys(catalog));
      const used = [
        ...[...def.html.matchAll(/data-i18n="(?:\[\w+\])?([^"]+)"/g)].map(
          (m) => m[1],
        ),
        ...[...def.html.matchAll(/_\("([^"]+)"/g)].map((m) => m[1]),
      ].filter((key) => !key.startsWith('node-red:'));
      assert.ok(used.length > 0, `${def.type} uses its catalog`);
      for (const key of used) {
        // a key built at run time from a prefix: the prefix must be a section
        const known = key.endsWith('.')
          ? [...keys].some((k) => k.startsWith(key))
          : keys.has(key);
        assert.ok(known, `${def.type}: ${key}`);
      }
      const labels = [...def.html.matchAll(/<label[^>]*>(.*?)<\/label>/gs)].map(
        (m) => m[1],
      );
      for (const label of labels) {
        const bare = label.replace(/<[^>]+>/g, '').trim();
        assert.equal(
          bare,
          '',
          `${def.type}: label "${bare}" is not from the catalog`,
        );
      }
    }
  });

  test('status keys the runtime sets are in the catalog', () => {
    for (const def of defs) {
      const source = read(`nodes/${def.type}.ts`);
      const catalog = JSON.parse(read(`nodes/locales/en-US/${def.type}.json`));
      const keys = new Set(catalogKeys(catalog));
      const pattern = new RegExp(`'(${def.type}\\.status\\.[\\w-]+)'`, 'g');
      for (const [, key] of source.matchAll(pattern)) {
        assert.ok(keys.has(key), `${def.type}: ${key}`);
      }
    }
  });
});
