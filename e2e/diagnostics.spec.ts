import { expect, test } from './fixtures';
import { checkState } from './a11y';
import { profileText } from './wg-keys';

test.describe('diagnostics page', () => {
  test('run diagnostics → summary with a support ID → copy summary; nothing secret on the page', async ({ app, goto, context }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'clipboard permission grant is a browser-context feature');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const { text, me } = profileText({ address: '10.77.20.2/32' });
    await app.getByRole('button', { name: 'Paste profile text' }).click();
    await app.getByLabel('Profile text').fill(text);
    await app.getByLabel(/^Name/).fill('diag-farm');
    await app.getByRole('button', { name: 'Import pasted text' }).click();
    await expect(app.getByRole('alert', { name: 'Import result' })).toContainText('Stored as “diag-farm”');

    await goto('diagnostics');
    await app.getByLabel('Profile').selectOption('diag-farm');
    await app.getByRole('button', { name: 'Run diagnostics' }).click();
    const summary = app.getByTestId('report-summary');
    await expect(summary).toBeVisible({ timeout: 45_000 });
    const supportId = (await app.getByTestId('support-id').textContent())!;
    expect(supportId).toMatch(/^LH-\d{8}-[0-9a-f]{8}$/);
    await expect(summary).toContainText(supportId);
    // The profile's tunnel is not up here: the report must say so by its stable code.
    await expect(summary).toContainText('tunnel.down');
    expect(await app.content()).not.toContain(me.privateKey);
    await checkState(app, 'diagnostics-summary');

    await app.getByRole('button', { name: 'Copy summary' }).click();
    await expect(app.getByText('Summary copied to the clipboard.')).toBeVisible();
    const clip = await app.evaluate(() => navigator.clipboard.readText());
    expect(clip).toContain(supportId);
    expect(clip).toContain('tunnel.down');
    expect(clip).not.toContain(me.privateKey);
  });
});
