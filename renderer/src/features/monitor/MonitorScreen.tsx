/** Placeholder until the monitor screen lands. */
export function MonitorScreen() {
  return (
    <section className="screen">
      <h1>Monitor</h1>
      <p className="muted">Coming with the monitor work.</p>
    </section>
  );
}
