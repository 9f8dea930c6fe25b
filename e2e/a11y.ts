/**
 * Accessibility helpers for the e2e specs: axe-core (WCAG 2.x A/AA rules) on the page as it is, in light and dark,
 * with a screenshot of each; the violations are printed by rule, target and summary so a failure says what to fix.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, saveScreenshot } from './fixtures';

export type Theme = 'light' | 'dark';

export async function axeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join(' | ')}`);
}

/** The app follows the system theme by default: emulate it. */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  // Reduced motion too: no transition is half-way when colours are measured (the app honours it, see home.spec).
  await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** axe (0 violations) and a screenshot `<name>-<theme>` in each theme; returns to light. */
export async function checkState(page: Page, name: string, themes: readonly Theme[] = ['light', 'dark']): Promise<void> {
  for (const theme of themes) {
    await setTheme(page, theme);
    expect(await axeViolations(page), `${name} (${theme})`).toEqual([]);
    await saveScreenshot(page, `${name}-${theme}`);
  }
  await setTheme(page, 'light');
}
