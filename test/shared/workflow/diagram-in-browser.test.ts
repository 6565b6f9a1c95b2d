/**
 * The diagram as a browser draws it (Chromium), in the font the SVG embeds: every label inside
 * its box. `UPDATE_SCREENSHOTS=1` also saves each as docs/images/diagram-<name>.png.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import { workflowToSvg } from '../../../shared/workflow/diagram.js';
import { graphvizInProcess } from '../../../shared/workflow/diagram-svg.js';
import type { Workflow } from '../../../shared/workflow/schema.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';

const examples = readdirSync(new URL('../../../examples/', import.meta.url))
  .filter((name) => name.endsWith('.workflow.json'))
  .map((name): [string, Workflow] => [
    name,
    validateWorkflow(JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8')))
      .workflow as Workflow,
  ]);
const pictures = process.env.UPDATE_SCREENSHOTS
  ? new URL('../../../docs/images/', import.meta.url).pathname
  : `${tmpdir()}/`;
let browser: Browser;

beforeAll(async () => {
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describe('the diagram drawn in a browser', () => {
  it.each([['default.workflow.json', defaultWorkflow] as [string, Workflow], ...examples])(
    'keeps every label of %s inside its box, in the font it carries',
    async (name, workflow) => {
      const page = await browser.newPage();
      await page.setContent(
        `<body style="margin:0">${await workflowToSvg(workflow, { currency: 'GBP' }, graphvizInProcess)}</body>`,
      );
      // The embedded face itself, not a system font of that name: load() lists only @font-face rules.
      expect(
        await page.evaluate(
          'document.fonts.load("12px Arimo").then((faces) => faces.map((face) => face.status))',
        ),
      ).toEqual(['loaded']);
      expect(
        await page.evaluate(
          `[...new Set([...document.querySelectorAll('text')].map((text) => getComputedStyle(text).fontFamily))]`,
        ),
      ).toEqual(['Arimo']);
      // Runs in the page (written as text: this project's types have no DOM).
      const overflows = await page.evaluate(`
        [...document.querySelectorAll('g.node')].flatMap((node) => {
          const shapes = [...node.querySelectorAll('path, polygon')];
          if (shapes.length === 0) return [];
          const box = shapes.map((shape) => shape.getBBox()).reduce((a, b) => (a.width >= b.width ? a : b));
          return [...node.querySelectorAll('text')]
            .filter((text) => {
              const t = text.getBBox();
              return t.x < box.x || t.x + t.width > box.x + box.width;
            })
            .map((text) => text.textContent);
        })
      `);
      expect(overflows).toEqual([]);
      expect(await page.locator('text', { hasText: workflow.name }).count()).toBeGreaterThan(0);
      expect(await page.locator('text', { hasText: 'Legend' }).count()).toBe(1);
      await page
        .locator('svg')
        .screenshot({ path: `${pictures}diagram-${name.replace('.workflow.json', '')}.png` });
    },
    60_000,
  );
});
