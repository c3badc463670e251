/** Temperature colour bands matching the default rule (warn 80 °C, critical 90 °C). */
export function heatClass(celsius: number | null): string {
  if (celsius === null) return 'heat-none';
  if (celsius >= 90) return 'heat-critical';
  if (celsius >= 80) return 'heat-warn';
  return 'heat-ok';
}
