// A form's sticky save bar must not cover the field that has focus (WCAG 2.2, 2.4.11).
// Chromium leaves a field that is inside the window where it is, even under the bar (the CSS
// scroll-padding only counts when it has to scroll anyway), so a field the bar covers is
// scrolled up by what the bar covers, plus a little air.
document.addEventListener("focusin", (event) => {
  const field = event.target;
  const form = field instanceof Element ? field.closest("form") : null;
  const bar = form ? form.querySelector(".sticky-actions") : null;
  if (!bar || bar.contains(field)) {
    return;
  }
  const covered = field.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
  if (covered > 0) {
    // Instant: Bootstrap makes scrolling smooth, which would race the browser's own focus scroll.
    window.scrollBy({ top: covered + 16, behavior: "instant" });
  }
});
