import { dialog } from 'electron';
import type { StartFailureUi } from '../host/startOrRecover';
import { choiceLabel } from '../host/startOrRecover';

/** The recovery screen as a native dialog: it works before any window or renderer exists. */
export const startFailureDialog: StartFailureUi = {
  async choose(failure) {
    const buttons = failure.choices.map((c) => choiceLabel(c, failure));
    const { response } = await dialog.showMessageBox({
      type: failure.kind === 'database' ? 'warning' : 'error',
      title: 'BambiSleep Church Studio',
      message: failure.title,
      detail: failure.message,
      buttons,
      defaultId: 0,
      cancelId: failure.choices.indexOf('quit'),
      noLink: true,
    });
    return failure.choices[response] ?? 'quit';
  },
  async recoveryFailed(message) {
    await dialog.showMessageBox({ type: 'error', title: 'BambiSleep Church Studio', message: 'The recovery did not work', detail: message, buttons: ['OK'] });
  },
};
