import type { Page } from 'playwright-core';

type Recorded = { __progress?: string[] };

/**
 * Takes a page and a section title; records every distinct `state|phase|rate` the section's job progress
 * card shows from now on (a MutationObserver in the page), so a test can tell it saw the job live.
 */
export async function recordJobProgress(page: Page, section: string): Promise<void> {
  await page.evaluate((label) => {
    const w = window as unknown as Recorded;
    w.__progress = [];
    const look = () => {
      const card = document.querySelector(`section[aria-label="${label}"] .job-progress`);
      if (!card) return;
      const entry = [
        card.getAttribute('data-job'),
        card.getAttribute('data-state'),
        card.querySelector('.job-phase')?.textContent ?? '',
        card.querySelector('.job-rate')?.textContent ?? '',
        card.querySelector('.job-eta')?.textContent ?? '',
      ].join('|');
      const log = w.__progress ?? [];
      if (log[log.length - 1] !== entry) log.push(entry);
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    look();
  }, section);
}

/** Takes a page and a job id; returns what recordJobProgress saw of that job, as `{state, phase, rate, eta}` in order. */
export async function recordedProgress(page: Page, jobId: string) {
  const lines = await page.evaluate(() => (window as unknown as Recorded).__progress ?? []);
  return lines
    .map((line) => {
      const [job, state, phase, rate, eta] = line.split('|');
      return { job, state, phase, rate, eta };
    })
    .filter((entry) => entry.job === jobId);
}
