"""Opens a report in headless Chromium (Debian's `chromium`, driven directly: no driver, no npm)
and reports what a reader's browser sees: images that did not load, elements wider than the
viewport, empty figures, tables and sections; and keeps a full-page screenshot.

    /usr/bin/python3 tests/analysis/browser.py results/report/index.html [screenshot.png]

How: a copy of the page with a checking script appended is loaded with --dump-dom; the script
runs when the page has loaded (images included), opens every folded table (so a long table
counts too), measures, and writes its findings as JSON into the DOM that Chromium prints. The
screenshot is taken of the page itself, as it opens, at the viewport width and the page's height.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VIEWPORT = 1400
MAX_SCREENSHOT_HEIGHT = 8000  # px: the top of the page; a full 20,000 px capture costs Chromium ~20 s of software rendering

CHECK_SCRIPT = """
<script>
window.addEventListener('load', () => {
  const out = {};
  const root = document.documentElement;
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const vw = root.clientWidth;
  out.viewport = vw;
  out.scroll_width = root.scrollWidth;
  out.images = [...document.images].map(i => ({src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
                                              width: i.naturalWidth, shown_width: Math.round(i.getBoundingClientRect().width)}));
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' "' +
      (el.textContent || '').trim().slice(0, 60) + '"';
  out.too_wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5))
      out.too_wide.push(describe(el) + ' right=' + Math.round(r.right));
  }
  out.empty = [];
  document.querySelectorAll('figure').forEach(f => {
    const img = f.querySelector('img');
    if (!img) out.empty.push('figure without an image: ' + describe(f));
    else if (img.dataset.emptyPanels !== '0') out.empty.push(img.getAttribute('src') + ': ' + img.dataset.emptyPanels + ' empty panel(s)');
  });
  document.querySelectorAll('table').forEach(t => {
    if (!t.tBodies.length || t.tBodies[0].rows.length === 0) out.empty.push('table without rows: ' + describe(t));
  });
  const headings = [...document.querySelectorAll('h2')];
  headings.forEach(h => {
    let el = h.nextElementSibling, content = false;
    while (el && el.tagName !== 'H2' && el.tagName !== 'SCRIPT') { content = true; el = el.nextElementSibling; }
    if (!content) out.empty.push('section without content: ' + h.textContent);
  });
  out.height = root.scrollHeight;
  document.querySelectorAll('details').forEach(d => { d.open = false; });
  out.height_as_opened = root.scrollHeight;
  const pre = document.createElement('pre');
  pre.id = 'browser-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(binary: str, profile: Path, args: list[str], timeout: float) -> subprocess.CompletedProcess:
    # --no-sandbox: tests run as root in CI containers, where Chromium's sandbox cannot start.
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={profile}", f"--window-size={args.pop(0)}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def check_page(index: Path, screenshot: Path | None = None, timeout: float = 120) -> dict:
    """The findings for one page (see CHECK_SCRIPT), and the screenshot's path under "screenshot"."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed (scripts/deps.sh installs it)")
    index = Path(index).resolve()
    probe = index.with_name("browser-check.html")  # beside index.html, so relative images resolve
    probe.write_text(index.read_text(encoding="utf-8").replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="commsim-chromium-") as profile:
            done = _run(binary, Path(profile), [f"{VIEWPORT},1000", "--virtual-time-budget=20000", "--dump-dom",
                                                probe.as_uri()], timeout)
            found = re.search(r"<pre id=\"browser-check\">(.*?)</pre>", done.stdout, re.S)
            if found is None:
                raise RuntimeError(f"chromium printed no findings for {index} (exit {done.returncode}): "
                                   f"{done.stderr[-2000:]}")
            result = json.loads(html.unescape(found.group(1)))
            if screenshot is not None:
                screenshot = Path(screenshot).resolve()
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                height = min(int(result["height_as_opened"]), MAX_SCREENSHOT_HEIGHT)
                shot = _run(binary, Path(profile), [f"{VIEWPORT},{height}", f"--screenshot={screenshot}",
                                                    index.as_uri()], timeout)
                if not screenshot.is_file():
                    raise RuntimeError(f"chromium made no screenshot of {index}: {shot.stderr[-2000:]}")
                result["screenshot"] = str(screenshot)
    finally:
        probe.unlink(missing_ok=True)
    return result


def problems(result: dict) -> list[str]:
    """What a reader would see wrong, as sentences; empty when the page is fine."""
    out = [f"image {i['src']} did not load" for i in result["images"] if not i["loaded"]]
    if result["scroll_width"] > result["viewport"]:
        out.append(f"the page is {result['scroll_width']} px wide in a {result['viewport']} px viewport")
    out += [f"wider than the viewport: {w}" for w in result["too_wide"]]
    out += [f"empty: {e}" for e in result["empty"]]
    return out


if __name__ == "__main__":
    page = Path(sys.argv[1])
    shot = Path(sys.argv[2]) if len(sys.argv) > 2 else page.with_name("screenshot.png")
    findings = check_page(page, shot)
    print(f"screenshot: {findings['screenshot']}")
    for problem in problems(findings) or ["no problem found"]:
        print(problem)
    sys.exit(1 if problems(findings) else 0)
