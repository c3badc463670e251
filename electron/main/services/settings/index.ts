export { SettingsStore } from './SettingsStore';
