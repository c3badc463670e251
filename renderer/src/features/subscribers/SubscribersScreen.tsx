/** Placeholder until the subscribers screen lands. */
export function SubscribersScreen() {
  return (
    <section className="screen">
      <h1>Subscribers</h1>
      <p className="muted">Coming with the subscribers work.</p>
    </section>
  );
}
