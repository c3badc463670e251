export { SettingsStore, peekSetting } from './SettingsStore';
