export { EncryptedFileSecretStore, EnvironmentSecretStore, takeSecretsFromEnv, type Cipher, type SecretStore } from './SecretStore';
