/** Placeholder: the status-bar readout of the hottest lab sensor (monitor work). */
export function LabTemperature() {
  return null;
}
