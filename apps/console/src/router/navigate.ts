/** The event the console fires when it changes the URL itself (the browser fires popstate for back/forward). */
export const NAVIGATE_EVENT = 'vrs:navigate';

/** Takes a path; shows that page (history.pushState; vrs-server answers any path with index.html). */
export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
