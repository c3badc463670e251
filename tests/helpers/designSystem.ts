import type { Locator } from 'playwright';

/**
 * The buttons, inputs, selects and text areas inside `root` that are not one of the design system's components
 * (renderer/src/ui: each marks its element with data-ui), as short HTML excerpts: a bare native control, unstyled
 * or styled on its own, is a screen that does not use the design system yet.
 */
export function bareControls(root: Locator): Promise<string[]> {
  return root.evaluate((el) =>
    [...el.querySelectorAll('button, input:not([type="hidden"]), select, textarea')]
      .filter((c) => !c.hasAttribute('data-ui'))
      .map((c) => c.outerHTML.slice(0, 160)),
  );
}

/** How many design-system controls `root` holds (a check of "no bare control" over an empty root proves nothing). */
export function kitControls(root: Locator): Promise<number> {
  return root.evaluate((el) => el.querySelectorAll('[data-ui]').length);
}
