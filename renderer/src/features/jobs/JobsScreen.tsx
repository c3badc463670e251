/** Placeholder until the jobs screen lands. */
export function JobsScreen() {
  return (
    <section className="screen">
      <h1>Jobs</h1>
      <p className="muted">Coming with the jobs work.</p>
    </section>
  );
}
