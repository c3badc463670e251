import type { monitorRequests } from '../../../shared/contract/monitor';
import type { MonitorSettingsData } from '../../../shared/dto/monitor';
import type { Monitor } from '../../domains/monitor';
import type { DomainHandlers } from './types';

export function monitorHandlers(monitor: Monitor): DomainHandlers<typeof monitorRequests> {
  return {
    'monitor.current': ({ host }) => monitor.current(host),
    'monitor.history': ({ series, rangeSec, host }) => monitor.getHistory(series, rangeSec, host),
    'monitor.hosts': () => monitor.hosts(),
    'monitor.alerts': ({ limit }) => monitor.alerts(limit),
    'monitor.getSettings': () => monitor.getSettings(),
    'monitor.setSettings': ({ settings }) => monitor.setSettings(settings as MonitorSettingsData),
    'monitor.setSmtpPassword': ({ password }) => monitor.setSmtpPassword(password),
    'monitor.setPrometheusToken': ({ token }) => monitor.setPrometheusToken(token),
    'monitor.testEmail': () => monitor.testEmail(),
    'monitor.setChannelSecret': ({ channel, secret }) => monitor.setChannelSecret(channel, secret),
    'monitor.testChannel': ({ channel }) => monitor.testChannel(channel),
  };
}
