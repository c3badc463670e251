import type { monitorRequests } from '../../../../shared/contract/monitor';
import type { MonitorSettingsData } from '../../../../shared/dto/monitor';
import type { Monitor } from '../../services/monitor';
import type { DomainHandlers } from './types';

export function monitorHandlers(monitor: Monitor): DomainHandlers<typeof monitorRequests> {
  return {
    'monitor.current': () => monitor.current(),
    'monitor.history': ({ series, rangeSec }) => monitor.getHistory(series, rangeSec),
    'monitor.alerts': ({ limit }) => monitor.alerts(limit),
    'monitor.getSettings': () => monitor.getSettings(),
    'monitor.setSettings': ({ settings }) => monitor.setSettings(settings as MonitorSettingsData),
    'monitor.setSmtpPassword': ({ password }) => monitor.setSmtpPassword(password),
    'monitor.setPrometheusToken': ({ token }) => monitor.setPrometheusToken(token),
    'monitor.testEmail': () => monitor.testEmail(),
  };
}
