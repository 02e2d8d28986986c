// Opens posflow's page in headless Chromium with a token and checks that hostile source names stored in posflow
// show as text and run nothing. Usage: node page-xss.mjs <page url> <token> <hostile name> <live name> <post url>
// Prints one JSON line with what it saw; exits 0 when every check held, 1 otherwise.
import { runChecks } from "./browser.mjs";

const [url, token, hostile, live] = process.argv.slice(2);
const seen = { dialogs: [], tokenInUrl: [], checks: {} };
await runChecks(seen, async browser => {
  const page = await browser.newPage();
  page.on("dialog", dialog => { seen.dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on("request", request => { if (request.url().includes(token)) seen.tokenInUrl.push(request.url()); });
  const streamHeaders = page.waitForRequest(request => request.url().endsWith("/positions/stream"));
  await page.goto(url);

  // auth on: the page asks for a token
  await page.waitForSelector("#login:not([hidden])", { timeout: 20000 });
  await page.fill("#token", token);
  await page.click("#login button");

  // the hostile names (from /positions/latest) show, as text
  await page.waitForFunction(names => names.every(name => document.getElementById("sources").textContent
      .includes(name)), hostile.split("\n"), { timeout: 30000 });
  // a position published now arrives through the live stream (fetch with the Authorization header)
  seen.checks.streamAuthorization = (await (await streamHeaders).allHeaders()).authorization === "Bearer " + token;
  process.stdout.write("READY\n");
  await page.waitForFunction(name => document.getElementById("sources").textContent.includes(name), live,
      { timeout: 30000 });

  seen.checks.noScriptRan = await page.evaluate(() => window.xss === undefined);
  seen.checks.noElementFromData = await page.evaluate(() =>
      document.querySelectorAll("#sources img, #sources script, #sources svg").length === 0);
  seen.checks.tokenKeptForTheTab = await page.evaluate(t => sessionStorage.getItem("posflow-token") === t, token);
  seen.checks.noDialog = seen.dialogs.length === 0;
  seen.checks.noTokenInAnyUrl = seen.tokenInUrl.length === 0;
});
