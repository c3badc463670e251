import { safeStorage } from 'electron';
import type { Cipher } from '../../platform/secrets';

export const safeStorageCipher: Cipher = {
  isAvailable: () => safeStorage.isEncryptionAvailable(),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (data) => safeStorage.decryptString(data),
  // Only Linux has a choice of backends; its answer is meaningful once the app is ready (as it is here).
  backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null),
};
