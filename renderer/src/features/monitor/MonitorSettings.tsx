/** Placeholder: the monitor's section of Settings: sample rate, rules, SMTP (monitor work). */
export function MonitorSettings() {
  return null;
}
