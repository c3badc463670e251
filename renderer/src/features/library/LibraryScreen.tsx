/** Placeholder until the library screen lands. */
export function LibraryScreen() {
  return (
    <section className="screen">
      <h1>Library</h1>
      <p className="muted">Coming with the library work.</p>
    </section>
  );
}
