// axe-core (WCAG 2.2 AA + best practices) on each view given, in Debian's chromium through
// puppeteer-core: an argument FILE is the page light and dark at phone and desktop width (four
// views); FILE::SCHEME:WIDTH is one view. Prints one line per violation; exit 1 if any. Views run
// three at a time (chromium waits on itself about as long as it computes). Run by
// tests/render/test_a11y.py with NODE_PATH pointing at the scratch folder's node_modules.
const path = require("path");
const fs = require("fs");
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"],
  });
  const views = [];
  for (const arg of process.argv.slice(2)) {
    const [file, view] = arg.split("::");
    if (view) {
      const [scheme, width] = view.split(":");
      views.push({ file, scheme, width: Number(width) });
    } else {
      for (const scheme of ["light", "dark"]) {
        for (const width of [390, 1200]) views.push({ file, scheme, width });
      }
    }
  }
  let violations = 0;
  const check = async ({ file, scheme, width }) => {
    const page = await browser.newPage();
    await page.setBypassCSP(true); // the report forbids scripts; axe is the test's own
    await page.setViewport({ width, height: 900 });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    await page.goto("file://" + path.resolve(file));
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate((tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
    for (const v of result.violations) {
      violations += 1;
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
      console.log(`${path.basename(file)} ${scheme} ${width}px: ${v.id} (${v.impact}): ${v.help}: ${where}`);
    }
    await page.close();
  };
  let next = 0;
  const worker = async () => {
    while (next < views.length) await check(views[next++]);
  };
  await Promise.all([worker(), worker(), worker()]);
  await browser.close();
  process.exit(violations ? 1 : 0);
})();
