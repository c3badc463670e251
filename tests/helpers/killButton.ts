import type { Page } from 'playwright';

/**
 * Holds the kill switch's button for `ms` of the page's time, however loaded the machine is: the page's clock
 * stands still while the test advances it, then runs on in real time after the release.
 */
export async function holdKillButton(page: Page, ms: number): Promise<void> {
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 5_000);
  const box = (await page.getByTestId('kill-button').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.clock.runFor(ms);
  await page.mouse.up();
  await page.clock.resume();
}
