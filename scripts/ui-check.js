// Loads DL4J's training UI of a finished `./g2g train --ui` run in headless Chromium (playwright-core) and checks
// what it shows for a G2G network; called by scripts/ui-check.sh, which starts the run.
//   node scripts/ui-check.js BASE_URL OUT_DIR ACTIVE_LAYER0 ITERATIONS
// BASE_URL: e.g. http://localhost:9000; ACTIVE_LAYER0: active connections of the first G2G layer (from the run's
// sparsity table); ITERATIONS: the run's optimizer steps (a report at every one: --stats-every 1).
// Writes OUT_DIR/ui.png (Overview page) and OUT_DIR/ui-model.png (Model page, first G2G layer).
'use strict';
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const [base, outDir, activeArg, itersArg] = process.argv.slice(2);
const activeLayer0 = Number(activeArg);
const iterations = Number(itersArg);

function check(ok, what) {
  if (!ok) {
    throw new Error('ui-check: ' + what);
  }
  console.log('ok: ' + what);
}

const sameSet = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));

    // --- Overview: the score chart draws from /train/overview/data; flot keeps the drawn series on the placeholder
    await page.goto(base + '/train/overview');
    await page.waitForFunction(n => {
      const plot = window.$ && $('#scoreiterchart').data('plot');
      return plot && plot.getData().length > 0 && plot.getData()[0].data.length >= n;
    }, iterations, { timeout: 60000 });
    const drawn = await page.evaluate(() => $('#scoreiterchart').data('plot').getData()[0].data);
    const data = await page.evaluate(async () => (await fetch('/train/overview/data')).json());
    check(data.scores.length === iterations && data.scoresIter.length === iterations,
      `the score endpoint has one point per iteration (${data.scores.length} of ${iterations})`);
    check(drawn.length === data.scores.length && drawn.every(([x, y], i) => x === data.scoresIter[i] && y === data.scores[i]),
      `the score chart draws those ${drawn.length} points`);
    check(data.scores.every(s => Number.isFinite(s) && s > 0), 'every score is a finite, positive loss');
    check(data.scores[data.scores.length - 1] < data.scores[0],
      `the score falls (${data.scores[0].toFixed(3)} -> ${data.scores[data.scores.length - 1].toFixed(3)})`);
    const ratioKeys = Object.keys(data.updateRatios);
    check(ratioKeys.length > 0 && ratioKeys.every(k => k.endsWith('_W')),
      `the update:parameter ratio chart has weights only (${ratioKeys.join(', ')})`);
    const ratiosFinite = Object.values(data.updateRatios).every(r => r.every(v => Number.isFinite(Math.log10(v))));
    check(ratiosFinite, 'every update:parameter ratio has a finite log10');
    const nParams = await page.textContent('#nParams');
    check(/^\d+$/.test(nParams.trim()), `the model table shows the parameter count (${nParams.trim()}, active only)`);
    await page.screenshot({ path: outDir + '/ui.png' });

    // --- Model page, first G2G layer (vertex 1; vertex 0 is the input)
    await page.goto(base + '/train/model');
    await page.waitForFunction(() => typeof setSelectedVertex === 'function' && window.$);
    await page.evaluate(() => { setSelectedVertex(1); renderModelPage(true); });
    await page.waitForFunction(() => $('#layerInfo').text().includes('G2GDense'), null, { timeout: 30000 });
    const layer = await page.evaluate(async () => (await fetch('/train/model/data/1')).json());
    check(sameSet(layer.paramHist.paramNames, ['W', 'b']) && sameSet(layer.updateHist.paramNames, ['W', 'b']),
      `parameter and update histograms: W and b, no mask M (${layer.paramHist.paramNames.join(', ')})`);
    check(sameSet(layer.meanMag.layerParamNames, ['W', 'b']) && sameSet(layer.learningRates.paramNames, ['W', 'b']),
      'mean magnitudes, update ratios and learning rates: W and b only');
    const wCounts = layer.paramHist.W.counts.reduce((a, b) => a + b, 0);
    check(wCounts === activeLayer0, `the W histogram counts the ${activeLayer0} active connections (got ${wCounts})`);
    const minRatio = Math.min(...Object.values(layer.meanMag.ratios).flat());
    check(minRatio > 0, `no update:parameter ratio of 0 on the Model page (smallest ${minRatio.toExponential(2)})`);
    // the layer's column, from its table down to the parameter histogram
    await page.setViewportSize({ width: 1200, height: 1800 });
    await page.waitForFunction(() => $('#meanmag').data('plot') && $('#parametershistogram').data('plot'),
      null, { timeout: 30000 });
    await page.waitForTimeout(500);
    const top = await page.locator('#layerInfo').boundingBox();
    const bottom = await page.locator('#parametershistogram').boundingBox();
    await page.screenshot({ path: outDir + '/ui-model.png', clip: { x: top.x - 12, y: top.y - 50,
      width: top.width + 24, height: bottom.y + bottom.height + 12 - (top.y - 50) } });
    check(errors.length === 0, 'no JavaScript errors in the pages' + (errors.length ? ': ' + errors.join('; ') : ''));
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.error(e.message || e);
  process.exit(1);
});
