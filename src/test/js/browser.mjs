// What the page scripts share: the headless Chromium they open the page in (.ci/run installs it and playwright-core),
// and how they end — one JSON line of what they saw on stdout, exit 0 when every check held, 1 otherwise.
import { chromium } from "playwright-core";

// Runs body(browser) in a fresh headless Chromium; body records its checks in seen.checks (name -> boolean). An
// exception is recorded as seen.error and fails the run, whatever the checks so far.
export async function runChecks(seen, body) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  let ok = false;
  try {
    await body(browser);
    ok = Object.values(seen.checks).every(Boolean);
  } catch (error) {
    seen.error = String(error);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(seen) + "\n");
  process.exit(ok ? 0 : 1);
}
