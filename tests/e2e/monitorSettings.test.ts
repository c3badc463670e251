import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath } from '../helpers/browser';
import { useStudioPage } from '../helpers/studioPage';
import { FixtureTree } from '../helpers/monitor';
import { startSmtp, subjectOf } from '../helpers/smtpServer';

describe('Monitor settings in the browser: SMTP with a test e-mail, status-bar temperature', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const f = FixtureTree.healthy({ pkgC: 83 });
  // Registered before the studio: the SMTP server starts before it and closes after it.
  beforeAll(async () => {
    smtp = await startSmtp({ user: 'lab', pass: 'letmein', plain: true });
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const studio = useStudioPage({ prefix: 'church-e2e-monitor-settings-', env: () => ({ CHURCH_MONITOR_ROOT: f.root, CHURCH_NVIDIA_SMI: '' }) });

  it('fills in SMTP, stores the password, and "Send test e-mail" delivers to a real SMTP server', async () => {
    const page = await studio.openPage({ viewport: { width: 1400, height: 1100 } });
    // The status bar shows the hottest CPU/GPU sensor on every screen.
    await expect.poll(() => page.getByTestId('lab-temperature').textContent(), { timeout: 10_000 }).toContain('83 °C');
    await page.getByRole('button', { name: /Settings/ }).click();
    const section = page.getByTestId('monitor-settings');
    await section.waitFor();
    await section.getByTestId('smtp-enabled').check();
    await section.getByLabel('SMTP host').fill('127.0.0.1');
    await section.getByLabel('SMTP port').fill(String(smtp.port));
    await section.getByLabel('SMTP user').fill('lab');
    // The test relay offers no STARTTLS: a login over it needs the explicit trusted-LAN opt-out.
    await section.getByTestId('smtp-plain-auth').check();
    await section.getByLabel('Sender address').fill('studio@lab.test');
    await section.getByLabel('Recipients').fill('owner@lab.test, ops@lab.test');
    await section.getByLabel('SMTP password').fill('letmein');
    await section.getByTestId('smtp-password-store').click();
    await section.getByText('stored').waitFor();
    await section.getByTestId('monitor-save').click();
    await expect.poll(() => section.getByTestId('monitor-save').isDisabled()).toBe(true);
    await section.getByTestId('smtp-test').click();
    const result = section.getByTestId('smtp-test-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toMatch(/^e-mail to owner@lab.test, ops@lab.test \(250 /);
    // The stand-in CPU reads 83 °C, so an alert e-mail may arrive too once SMTP is on, sooner or later by the
    // machine's speed: count the test e-mails only.
    const testMails = smtp.mails.filter((m) => subjectOf(m.raw) === '[Church Studio] Test e-mail');
    expect(testMails).toHaveLength(1);
    expect(testMails[0]).toMatchObject({ from: 'studio@lab.test', to: ['owner@lab.test', 'ops@lab.test'], user: 'lab' });
    await page.screenshot({ path: screenshotPath('monitor-settings'), fullPage: true });

    // A wrong password is reported in words, not as a crash.
    await section.getByLabel('SMTP password').fill('wrong');
    await section.getByTestId('smtp-password-store').click();
    await section.getByTestId('smtp-test').click();
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/refused the login; check the user and the password/);
    await page.close();
  });

  it('rejects settings that cannot work, with the reason', async () => {
    const page = await studio.openPage({ viewport: { width: 1400, height: 1100 } });
    await page.getByRole('button', { name: /Settings/ }).click();
    const section = page.getByTestId('monitor-settings');
    await section.waitFor();
    await section.getByTestId('smtp-enabled').check();
    await section.getByLabel('Recipients').fill('');
    await section.getByLabel('SMTP host').fill('mail.lab.test');
    await section.getByTestId('monitor-save').click();
    await page.getByText(/at least one recipient/).first().waitFor();
    await page.close();
  });
});
