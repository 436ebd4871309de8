// axe-core (WCAG 2.2 AA + best practices) on each page given, light and dark, phone and desktop
// width, in Debian's chromium through puppeteer-core. Prints one line per violation; exit 1 if any.
// Run by tests/render/test_a11y.py with NODE_PATH pointing at the scratch folder's node_modules.
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
  let violations = 0;
  for (const file of process.argv.slice(2)) {
    for (const scheme of ["light", "dark"]) {
      for (const width of [390, 1200]) {
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
      }
    }
  }
  await browser.close();
  process.exit(violations ? 1 : 0);
})();
