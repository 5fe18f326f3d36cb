import type { Page } from '@playwright/test';

/**
 * Elements that stick out past the right edge of the viewport. A page can avoid a horizontal
 * scrollbar and still be broken (an overflow-hidden parent silently clips the content), so this
 * looks at every element, skipping only those inside a deliberate horizontal scroller such as
 * a wide table's wrapper.
 */
export function elementsPastViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const insideScroller = (el: Element): boolean => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const overflowX = getComputedStyle(p).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll') return true;
      }
      return false;
    };
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= width + 0.5) continue;
      if (getComputedStyle(el).position === 'fixed' || insideScroller(el)) continue;
      offenders.push(
        `${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 3).join('.')} right=${Math.round(rect.right)}`,
      );
    }
    return offenders;
  });
}
