/** Placeholder until the settings screen lands. */
export function SettingsScreen() {
  return (
    <section className="screen">
      <h1>Settings</h1>
      <p className="muted">Coming with the settings work.</p>
    </section>
  );
}
