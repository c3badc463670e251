/**
 * The first tab stop: past the sidebar to the screen (`main#content`), whose own first control is then one Tab
 * away. The hash is the place's address, so the link focuses the screen instead of following its href.
 */
export function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#content"
      data-testid="skip-link"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('content')?.focus();
      }}
    >
      Skip to content
    </a>
  );
}
