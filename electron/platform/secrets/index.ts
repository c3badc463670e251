export { EncryptedFileSecretStore, EnvironmentSecretStore, takeSecretsFromEnv, type Cipher, type SecretStore } from './SecretStore';
export { SecretBindings, SECRET_BINDINGS_KEY, type BoundSecret, type BoundSecretState } from './boundSecrets';
export { DatedSecretStore, SECRET_DATES_KEY, secretAgeDays } from './secretDates';
