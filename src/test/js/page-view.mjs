// Opens posflow's page in headless Chromium and checks what its canvases show, pixel by pixel, against positions
// stored before it opened. Usage: node page-view.mjs <spec as JSON> (see PageTest); prints one JSON line with what
// it saw; exits 0 when every check held, 1 otherwise.
//
// spec: { url, screenshot, live: [[x, y], ...],
//         history: { source, from, to, count, drawn: [[x, y], ...], notDrawn: [[x, y], ...],
//                    replayAt, drawnAtReplay: [[x, y]], notDrawnAtReplay: [[x, y]] } }
// Coordinates are posflow's (a 1920x1080 screen); each canvas draws them scaled to its width.
import { runChecks } from "./browser.mjs";

const spec = JSON.parse(process.argv[2]);
const seen = { checks: {}, pixels: {}, errors: [] };

// The most opaque pixel within 2 pixels of a position: a line through it, or a dot on it, is drawn there
function alphaNear(page, canvasId, [x, y]) {
  return page.evaluate(([id, x, y]) => {
    const canvas = document.getElementById(id), scale = 1920 / canvas.width;
    const cx = Math.round(x / scale), cy = Math.round(y / scale);
    const data = canvas.getContext("2d").getImageData(cx - 2, cy - 2, 5, 5).data;
    let max = 0;
    for (let i = 3; i < data.length; i += 4) max = Math.max(max, data[i]);
    return max;
  }, [canvasId, x, y]);
}

async function allDrawn(page, canvasId, points, name) {
  const alphas = await Promise.all(points.map(p => alphaNear(page, canvasId, p)));
  seen.pixels[name] = alphas;
  return alphas.every(a => a > 0);
}

async function noneDrawn(page, canvasId, points, name) {
  const alphas = await Promise.all(points.map(p => alphaNear(page, canvasId, p)));
  seen.pixels[name] = alphas;
  return alphas.every(a => a === 0);
}

await runChecks(seen, async browser => {
  const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
  page.on("pageerror", error => seen.errors.push(String(error)));
  await page.goto(spec.url);

  // live: the stored positions are drawn as soon as the page has loaded the recent history, before any new one
  await page.waitForFunction(() => document.getElementById("status").textContent === "live", null,
      { timeout: 30000 });
  await page.waitForFunction(points => points.every(([x, y]) => {
    const data = document.getElementById("screen").getContext("2d")
        .getImageData(Math.round(x / 2) - 2, Math.round(y / 2) - 2, 5, 5).data;
    return data.some((value, i) => i % 4 === 3 && value > 0);
  }), spec.live, { timeout: 30000 }).catch(() => {}); // the check below says which were not drawn
  seen.checks.liveDrawsStoredPositions = await allDrawn(page, "screen", spec.live, "live");

  // the source list, from /sources
  const h = spec.history;
  seen.checks.sourceListed = await page.locator("#source-table tbody tr", { hasText: h.source }).count() === 1;

  // history: a chosen range of one source
  await page.selectOption("#history-source", h.source);
  await page.fill("#history-from", h.from);
  await page.fill("#history-to", h.to);
  await page.click("#history-show");
  await page.waitForFunction(count => document.getElementById("history-status").textContent
      .startsWith(`${count} of ${count} positions`), h.count, { timeout: 30000 });
  seen.checks.historyDrawsTheRange = await allDrawn(page, "history-canvas", h.drawn, "historyDrawn");
  seen.checks.historyLeavesOutWhatIsOutside = await noneDrawn(page, "history-canvas", h.notDrawn, "historyNotDrawn");
  await page.waitForFunction(() => !/^(where|loading)/.test(document.getElementById("heatmap-status").textContent),
      null, { timeout: 30000 });
  await page.screenshot({ path: spec.screenshot, fullPage: true });

  // the slider replays: at an earlier point the trail stops there
  await page.evaluate(at => {
    const slider = document.getElementById("history-slider");
    slider.value = at;
    slider.dispatchEvent(new Event("input"));
  }, h.replayAt);
  seen.checks.sliderShowsTheTrailSoFar = await allDrawn(page, "history-canvas", h.drawnAtReplay, "replayDrawn")
      && await noneDrawn(page, "history-canvas", h.notDrawnAtReplay, "replayNotDrawn");
  seen.checks.sliderSaysWhere = (await page.textContent("#history-status")).startsWith(`${h.replayAt + 1} of ${h.count}`);
  // play runs on to the end
  await page.click("#history-play");
  await page.waitForFunction(count => document.getElementById("history-status").textContent
      .startsWith(`${count} of ${count}`), h.count, { timeout: 30000 });
  seen.checks.playReachesTheEnd = await allDrawn(page, "history-canvas", h.drawn, "played");

  // heatmap, in the agreed shape: each cell drawn where it lies, and the request names the range
  let asked = null;
  await page.route("**/positions/heatmap?**", route => {
    asked = new URL(route.request().url()).searchParams;
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({
      cell: 100, originX: 0, originY: 0, cells: [{ cx: 3, cy: 2, count: 5 }, { cx: 10, cy: 8, count: 1 }] }) });
  });
  await page.click("#history-show");
  await page.waitForFunction(() => document.getElementById("heatmap-status").textContent.startsWith("6 positions"),
      null, { timeout: 30000 });
  seen.checks.heatmapDrawsItsCells = await allDrawn(page, "heatmap", [[350, 250], [1050, 850]], "heatmapCells")
      && await noneDrawn(page, "heatmap", [[1500, 100], [150, 950]], "heatmapEmpty");
  seen.checks.heatmapAsksForTheRange = asked !== null && asked.get("source") === h.source
      && asked.get("from") === h.from && asked.get("to") === h.to && asked.get("cell") === "32";

  // a server without the heatmap: the panel says so, the rest of the page works on
  await page.unroute("**/positions/heatmap?**");
  await page.route("**/positions/heatmap?**", route => route.fulfill({ status: 404,
      contentType: "application/problem+json", body: JSON.stringify({ status: 404, detail: "HTTP 404 Not Found" }) }));
  await page.click("#history-show");
  await page.waitForFunction(() => document.getElementById("heatmap-status").textContent
      .startsWith("heatmap not available"), null, { timeout: 30000 });
  seen.checks.noHeatmapSaysSo = await noneDrawn(page, "heatmap", [[350, 250]], "noHeatmap");

  // lists answered as pages {"items": [...], "next": cursor|null} (issue 9's shape): the page follows next
  const sourcesAsked = [];
  await page.route("**/sources?**", route => {
    const after = new URL(route.request().url()).searchParams.get("after");
    sourcesAsked.push(after);
    const source = name => ({ source: name, count: 1, first: "2021-01-01T00:00:00.000000Z",
                              last: "2021-01-01T00:00:00.000000Z" });
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(after === "page-2"
        ? { items: [source("paged-second")], next: null } : { items: [source("paged-first")], next: "page-2" }) });
  });
  await page.route("**/positions/latest?**", route => route.fulfill({ status: 200, contentType: "application/json",
      body: JSON.stringify({ items: [{ source: "paged-latest", sampledAt: "2021-01-01T00:00:00.000000Z", x: 960,
                                       y: 540 }], next: null }) }));
  await page.reload();
  await page.waitForFunction(() => ["paged-first", "paged-second"].every(name =>
      document.getElementById("source-table").textContent.includes(name))
      && document.getElementById("sources").textContent.includes("paged-latest"), null, { timeout: 30000 });
  seen.checks.pagedListsFollowNext = sourcesAsked.includes("page-2");

  seen.checks.noScriptError = seen.errors.length === 0;
});
