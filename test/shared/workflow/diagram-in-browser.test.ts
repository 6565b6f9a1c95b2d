/** The diagram as a browser draws it (Chromium, with the fonts it has): every label inside its box. */
import { readdirSync, readFileSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkflow } from '../../../shared/workflow/default-workflow.js';
import { workflowToSvg } from '../../../shared/workflow/diagram-svg.js';
import type { Workflow } from '../../../shared/workflow/schema.js';
import { validateWorkflow } from '../../../shared/workflow/validate.js';

const examples = readdirSync(new URL('../../../examples/', import.meta.url))
  .filter((name) => name.endsWith('.workflow.json'))
  .map((name): [string, Workflow] => [
    name,
    validateWorkflow(JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8')))
      .workflow as Workflow,
  ]);
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
  it.each([['the default workflow', defaultWorkflow] as [string, Workflow], ...examples])(
    'keeps every stage label of %s inside its box',
    async (_name, workflow) => {
      const page = await browser.newPage();
      await page.setContent(`<body style="margin:0">${await workflowToSvg(workflow)}</body>`);
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
    },
    60_000,
  );
});
