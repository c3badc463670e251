export { EncryptedFileSecretStore, EnvironmentSecretStore, type Cipher, type SecretStore } from './SecretStore';
