// Screenshots one trace in the Aspire dashboard with Debian's chromium (no browser download: playwright-core only drives it).
//   node screenshot.mjs <login URL printed by the runner> <trace id> <out.png>
// The dashboard is a Blazor Server app: a plain `chromium --headless --screenshot` captures the page before its
// websocket has rendered anything, so this waits for the trace's rows, and reloads until the last span of the chain
// (the notifications app handling the event) has been exported (OTLP exporters batch for up to 5 s).
import { chromium } from 'playwright-core';

const [loginUrl, traceId, out] = process.argv.slice(2);
if (!loginUrl || !/^[0-9a-f]{32}$/.test(traceId ?? '') || !out) {
  console.error('usage: node screenshot.mjs <dashboard login URL> <32-hex trace id> <out.png>');
  process.exit(2);
}

// Spans whose subtrees are plumbing (state reads and writes, the workflow worker's bookkeeping): shown collapsed, so the
// picture keeps to the chain orders -> catalog -> payments -> publish -> notifications.
const collapse = /^(dapr\.proto\.runtime\.v1\.Dapr\/(GetState|SaveState)|TaskHubSidecarService\/(GetInstance|CompleteActivityTask|CompleteOrchestratorTask))\b/;
const lastSpan = 'POST /events/orders/';

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(loginUrl);
  await page.waitForURL(url => !url.pathname.startsWith('/login'), { timeout: 30_000 });
  const detail = `${new URL(loginUrl).origin}/traces/detail/${traceId}`;

  let found = false;
  for (let attempt = 0; attempt < 12 && !found; attempt++) {
    await page.goto(detail);
    try {
      await page.getByRole('row').filter({ hasText: lastSpan }).first().waitFor({ timeout: 5_000 });
      found = true;
    } catch {
      // not exported yet: load the page again
    }
  }
  if (!found) {
    throw new Error(`trace ${traceId} has no span '${lastSpan}' in the dashboard after a minute`);
  }

  // The banner about the unsecured OTLP endpoint says what README's Observability section says; it only takes room here.
  const dismiss = page.locator('fluent-button[aria-label="Dismiss notification"]');
  if (await dismiss.count()) {
    await dismiss.first().click();
  }

  for (let guard = 0; guard < 200; guard++) {
    const rows = page.locator('tr[role=row]:has(.main-grid-expanded .main-grid-expand-button)');
    const names = await rows.evaluateAll(rs => rs.map(r => r.querySelector('.span-name-container')?.textContent?.trim() ?? ''));
    const index = names.findIndex(n => collapse.test(n));
    if (index < 0) {
      break;
    }
    await rows.nth(index).locator('.main-grid-expand-button').click({ timeout: 5_000 });
    await page.waitForTimeout(50);
  }

  // The span grid scrolls inside a page of the window's height: grow the window until the grid needs no scrolling.
  for (let guard = 0; guard < 5; guard++) {
    const hidden = await page.evaluate(() => Math.max(0, ...[...document.querySelectorAll('*')]
      .filter(e => e.querySelector('tr[role=row]') && e.scrollHeight > e.clientHeight + 1)
      .map(e => e.scrollHeight - e.clientHeight)));
    if (hidden === 0) {
      break;
    }
    const size = page.viewportSize();
    await page.setViewportSize({ width: size.width, height: size.height + hidden });
    await page.waitForTimeout(300);
  }

  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
}
