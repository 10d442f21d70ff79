/**
 * What runs on which Node, said truthfully: `npm ci` on Node 20 prints an EBADENGINE warning for every installed
 * package whose `engines.node` excludes Node 20. The README must name each of them and what it is for, so a new user
 * reading those warnings finds them explained (and nothing is hidden by silencing npm).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } }>;
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const readme = readFileSync(path.join(root, 'README.md'), 'utf8').replace(/\s+/g, ' '); // as read, not as wrapped

/** The oldest Node the project says it runs on (package.json engines), e.g. 20.19.0. */
const oldestSupported = semver.minVersion(pkg.engines.node)!.version;

const needNewerNode = Object.entries(lock.packages)
  .filter(([where, info]) => where.startsWith('node_modules/') && info.engines?.node && !semver.satisfies(oldestSupported, info.engines.node))
  .map(([where, info]) => ({ name: where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length), node: info.engines!.node! }));

describe('Node versions', () => {
  it('the README names every installed package that warns EBADENGINE on the oldest Node it supports', () => {
    expect(needNewerNode.length).toBeGreaterThan(0); // electron 45 and its downloader do, today
    for (const { name } of needNewerNode) expect(readme, `README does not explain ${name}'s EBADENGINE warning`).toContain(`\`${name}\``);
  });

  it('says how many warnings to expect and which Node a desktop build needs', () => {
    const words = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    expect(readme).toContain(`prints ${words[needNewerNode.length - 1] ?? needNewerNode.length} \`EBADENGINE\` warnings`);
    const newest = needNewerNode.map((p) => semver.minVersion(p.node)!.version).sort(semver.compare).at(-1)!;
    expect(readme).toContain(`Node ${newest.replace(/\.0$/, '')}`);
  });
});
