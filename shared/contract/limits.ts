// Apart from the contract's index so a front end that needs only these (the dispatcher of a one-shot command, a
// transport) does not load every domain's schemas with them.

/** Transport limits, shared so client and server agree. */
export const LIMITS = {
  /** Largest request message accepted, in bytes of its JSON form. */
  maxMessageBytes: 1024 * 1024,
} as const;

/**
 * Names of the Electron IPC channels: the contract's two, and `pickFile`, the window's native file dialog (the
 * shell's own, outside the contract: only a window has one).
 */
export const IPC_CHANNELS = { invoke: 'church:invoke', event: 'church:event', pickFile: 'church:pickFile' } as const;
