import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  'README.md',
  'BENCHMARKS.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const read = (page: string) => readFileSync(join(root, page), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(page: string): Set<string> {
  const text = read(page).replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, heading]) => anchorOf(heading as string)));
}

/** Every link of a page outside code blocks: `[text](target)`. */
function linksOf(page: string): string[] {
  const text = read(page)
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, target]) => target as string);
}

describe('the documentation', () => {
  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const broken = linksOf(page).flatMap((target) => {
      if (/^(https?:|mailto:)/.test(target)) return [];
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : relative(root, join(root, dirname(page), decodeURI(path)));
      if (!existsSync(join(root, file))) return [`${target} (no file ${file})`];
      if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor))
        return [`${target} (no heading #${anchor})`];
      return [];
    });
    expect(broken).toEqual([]);
  });

  it('names, in the README, every page under docs/', () => {
    const readmeLinks = new Set(linksOf('README.md'));
    const unlisted = pages.filter((page) => page.startsWith('docs/') && !readmeLinks.has(page));
    expect(unlisted).toEqual([]);
  });

  it('points at no folder outside the repository', () => {
    for (const page of pages) expect(read(page), page).not.toMatch(/`spec\/|\.\.\/shared\//);
  });
});
