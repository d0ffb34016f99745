// A form in a narrow editor column, as on a laptop with the side bar open and the editor split:
// the window is resized until the webview's page is the width asked for, then the page's
// horizontal fit is read. Shared by the deploy and volume UI tests.
import { waitUntil } from './deployForm.mjs';

/** The width of the form's page (its document's client width). */
function pageWidth(form) {
  return form.locator('body').evaluate((body) => body.ownerDocument.documentElement.clientWidth);
}

/**
 * Narrows the browser window until the webview's page is `width` px wide (± 2 px) and returns the
 * width reached. The workbench lays the editor out again on each resize; the webview follows.
 */
export async function fitPageWidth(page, form, width) {
  let current = await pageWidth(form);
  for (let attempt = 0; attempt < 5 && Math.abs(current - width) > 2; attempt++) {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: viewport.width + (width - current), height: viewport.height });
    const before = current;
    current = await waitUntil(async () => {
      const now = await pageWidth(form);
      return now !== before ? now : undefined;
    }, `the form's page to follow the window from ${before}px`);
  }
  return current;
}

/**
 * How the page fits: its scroll and client widths, and every visible element whose right edge
 * runs past the page (clipped) by its id, tag and class.
 */
export function horizontalFit(form) {
  return form.locator('body').evaluate((body) => {
    const root = body.ownerDocument.documentElement;
    const clipped = [];
    for (const element of body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && Math.round(box.right) > root.clientWidth) {
        clipped.push(
          `${element.tagName.toLowerCase()}#${element.id}.${element.className} → ${Math.round(box.right)}`,
        );
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, clipped };
  });
}
