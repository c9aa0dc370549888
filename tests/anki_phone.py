"""Show Anki cards as Anki's own reviewer does, in headless Chromium at a phone's width.

The page is the desktop reviewer's (aqt/reviewer.py `_initWeb()` through aqt/webview.py
`stdHtml()`): css/webview.css, the webview's standard CSS, css/reviewer.css, js/webview.js and
js/reviewer.js, and the body `revHtml()` writes (`#_mark`, `#_flag`, `<div id="qa" dir="auto">`).
MathJax is Anki's js/mathjax.js configuration with the js/vendor/mathjax/tex-chtml-full.js it
loads; only its path is changed, from Anki's media server to these files. All of them come from
the `aqt` wheel of the installed Anki's version; only Qt's bridge to Python (`pycmd`) is a stub.
reviewer.js itself shows each card as the reviewer drives it: `_showQuestion(question, answer,
"card cardN isLin fancy")`, then `_showAnswer(answer)`, each typeset by MathJax; after each, a
script in the page measures what is on screen. The page sits in a frame exactly as wide as the
phone, with scrollbars that take no room as on a phone, and its JSON report is read back from
Chromium's --dump-dom.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

import anki.buildinfo
import pytest

from tests.chromium import headless_flags, require_chromium

ANKI_VERSION = anki.buildinfo.version
MATHJAX_FOLDER = "js/vendor/mathjax/"  # the bundle with its fonts and extensions
WEB_FILES = (  # what the reviewer page loads, as paths under the wheel's _aqt/data/web/
    "css/webview.css",
    "css/reviewer.css",
    "js/webview.js",
    "js/reviewer.js",
    "js/mathjax.js",
    f"{MATHJAX_FOLDER}tex-chtml-full.js",
)
BODY_CLASSES = "isLin fancy"  # theme_manager.body_class(): Linux, light theme, not minimalist
# AnkiWebView.standard_css() on Linux at zoom 1, with a generic family for Qt's UI font
STANDARD_CSS = """
body { zoom: 1; background-color: var(--canvas); }
html { font-family: sans-serif; }
:root { --canvas: #f5f5f5 }
:root[class*=night-mode] { --canvas: #2c2c2c }
"""
PAGE_HEIGHT = 2000
VIRTUAL_TIME_BUDGET = 600_000  # virtual ms; only the page's timers spend it, not its work
RENDER_TIMEOUT = 300  # seconds; the built-in deck takes about 15 at each width
DOWNLOAD_TIMEOUT = 300  # seconds for pip to fetch the 4 MB wheel


@dataclass(frozen=True)
class Card:
    """A card's question and answer HTML; `label` names it in reports (note Id, card number)."""

    label: str
    ord: int
    question: str
    answer: str


def aqt_web_dir() -> Path:
    """Anki's web files, laid out as Anki's media server serves them (`<dir>/_anki/...`).

    They come from the `aqt` wheel of the installed Anki's version and are kept in
    $DRILL_AQT_DIR or ~/.cache/drill-tests/aqt-<version>/, so only the first run downloads.
    Without the wheel the test is skipped, except in CI, where that is a failure.
    """
    folder = Path(os.environ.get("DRILL_AQT_DIR")
                  or Path.home() / ".cache" / "drill-tests" / f"aqt-{ANKI_VERSION}")
    if has_web_files(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".aqt-", dir=folder.parent))
    try:
        with zipfile.ZipFile(download_aqt(staging)) as wheel:
            for name in wheel.namelist():
                inner = name.removeprefix("_aqt/data/web/")
                if inner != name and (inner in WEB_FILES or inner.startswith(MATHJAX_FOLDER)):
                    target = staging / "_anki" / inner
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(wheel.read(name))
        if not has_web_files(staging):
            raise AssertionError(f"the aqt {ANKI_VERSION} wheel lacks some of {', '.join(WEB_FILES)}")
        for wheel_file in staging.glob("*.whl"):
            wheel_file.unlink()
        staging.rename(folder)  # all files or none, also when two test workers race here
    except OSError:
        if not has_web_files(folder):
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def has_web_files(folder: Path) -> bool:
    """Whether `folder` holds every file the reviewer page loads."""
    return all((folder / "_anki" / name).is_file() for name in WEB_FILES)


def download_aqt(folder: Path) -> Path:
    """The aqt wheel of the installed Anki's version, downloaded into `folder` by pip."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--quiet", "--dest", str(folder), f"aqt=={ANKI_VERSION}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT,
                              check=False)
        failure = done.returncode and (done.stderr.strip().splitlines() or ["pip said nothing"])[-1]
    except subprocess.TimeoutExpired:
        failure = f"pip download took over {DOWNLOAD_TIMEOUT} s"
    wheels = sorted(folder.glob("aqt-*.whl"))
    if failure or not wheels:
        message = f"no aqt {ANKI_VERSION} wheel for Anki's reviewer files: {failure or 'pip saved none'}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return wheels[0]


def collection_cards(col) -> list[Card]:
    """Every card of an Anki collection as the reviewer gets it, by note Id and card number."""
    cards = []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note_id = card.note()["Id"]
        cards.append((note_id, card.ord, Card(
            label=f"{note_id} #{card.ord + 1}",
            ord=card.ord,
            question=col.media.escape_media_filenames(card.question()),
            answer=col.media.escape_media_filenames(card.answer()),
        )))
    return [card for _, _, card in sorted(cards, key=lambda entry: entry[:2])]


def reviewer_page(cards: list[Card], web: Path, page: Path) -> Path:
    """Write the reviewer page that shows and measures `cards` one after another."""
    anki = (web / "_anki").resolve().as_uri()
    data = [dict(asdict(card), bodyclass=f"card card{card.ord + 1} {BODY_CLASSES}") for card in cards]
    data_json = json.dumps(data).replace("</", "<\\/")  # no "</script>" inside the script
    page.write_text(f"""<!doctype html>
<html class="" dir="ltr" data-bs-theme="light">
<head>
    <title>reviewer</title>
<link rel="stylesheet" type="text/css" href="{anki}/css/webview.css"><style>{STANDARD_CSS}</style>
<link rel="stylesheet" type="text/css" href="{anki}/css/reviewer.css">
<script>var pycmd, bridgeCommand; pycmd = bridgeCommand = function () {{ return false; }};</script>
<script src="{anki}/js/mathjax.js"></script>
<script>MathJax.loader.paths.mathjax = "{anki}/js/vendor/mathjax";</script>
<script src="{anki}/js/vendor/mathjax/tex-chtml-full.js"></script>
</head>

<body class="{BODY_CLASSES}">
<script src="{anki}/js/webview.js"></script>
<script src="{anki}/js/reviewer.js"></script>

<div id="_mark" hidden>&#x2605;</div>
<div id="_flag" hidden>&#x2691;</div>
<div id="qa" dir="auto"></div>
<script type="application/json" id="cards">{data_json}</script>
<script>{MEASURE_JS}</script>
</body>
</html>""", encoding="utf-8")
    return page


def phone_page(reviewer: Path, width: int) -> Path:
    """Write a page that holds `reviewer` in a frame `width` px wide and keeps its report.

    Chromium keeps a browser window at least 500 px wide, headless too; a frame is a viewport
    of its own, so inside it `window.innerWidth` is `width`.
    """
    page = reviewer.with_name(f"phone-{width}.html")
    page.write_text(f"""<!doctype html>
<html><body style="margin: 0">
<iframe src="{reviewer.resolve().as_uri()}" style="display: block; border: 0; width: {width}px; height: {PAGE_HEIGHT}px"></iframe>
<pre id="result"></pre>
<script>
addEventListener("message", (event) => {{ document.getElementById("result").textContent = event.data; }});
</script>
</body></html>""", encoding="utf-8")
    return page


def render(cards: list[Card], widths: tuple[int, ...], folder: Path) -> dict[int, dict]:
    """Show every card at each width, one headless Chromium per width, all running at once.

    Returns each width's report from the page: {"innerWidth", "viewport", "mathjax", "errors",
    "renders": one per card side, see MEASURE_JS}.
    """
    browser = require_chromium()
    reviewer = reviewer_page(cards, aqt_web_dir(), folder / "reviewer.html")
    with tempfile.TemporaryDirectory(prefix="drill-chromium-") as profiles, ExitStack() as stack:
        runs = {}
        for width in widths:
            page = phone_page(reviewer, width)
            profile = Path(profiles) / str(width)
            command = [
                browser, *chromium_flags(str(profile), width),
                f"--virtual-time-budget={VIRTUAL_TIME_BUDGET}",
                "--dump-dom",
                page.resolve().as_uri(),
            ]
            log = stack.enter_context(open(f"{profile}.log", "w+", encoding="utf-8"))
            process = stack.enter_context(subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=log, text=True,
                env=dict(os.environ, HOME=str(profile))))
            stack.callback(process.kill)  # before the wait on leaving, if a run went wrong
            runs[width] = page, log, process
        return {width: page_report(*run) for width, run in runs.items()}


def page_report(page: Path, log, process: subprocess.Popen) -> dict:
    """The JSON report in Chromium's dump of `page`; `log` holds what Chromium said."""
    try:
        dom, _ = process.communicate(timeout=RENDER_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"Chromium did not finish {page} in {RENDER_TIMEOUT} s") from None
    found = re.search(r'<pre id="result">(.+?)</pre>', dom, re.DOTALL)
    if process.returncode != 0 or not found:
        log.seek(0)
        tail = "\n".join(log.read().splitlines()[-15:])
        raise AssertionError(
            f"Chromium wrote no measurements for {page} (exit {process.returncode}):\n{tail}")
    return json.loads(html.unescape(found.group(1)))


def chromium_flags(profile: str, width: int) -> list[str]:
    """Headless Chromium with a window `width` px wide."""
    return [
        *headless_flags(profile),
        "--force-device-scale-factor=1",
        "--hide-scrollbars",  # a phone's scrollbars take no room from the page
        f"--window-size={width},{PAGE_HEIGHT}",  # at least 500 px wide all the same
    ]


# Shows each card's question and then its answer through reviewer.js and measures each:
# {label, side, viewport: the page's width, scrollWidth: how far the page scrolls sideways,
#  right: the rightmost point of anything shown, culprit: what reaches it, boxes: the boxes that
#  scroll sideways on their own, indentedLines/wrappedLines: code lines with leading spaces /
#  of those, the ones that wrap, indent: wrapped ones that continue left of their indentation,
#  math: formulas typeset, rawMath: TeX left as text, mathErrors}.
MEASURE_JS = r"""
"use strict";
(() => {
  const SLACK = 1;  // px
  const report = {innerWidth: window.innerWidth, viewport: 0, mathjax: "", renders: [], errors: []};
  window.addEventListener("error", (event) => report.errors.push(String(event.message)));
  window.addEventListener("unhandledrejection", (event) => report.errors.push(String(event.reason)));

  function describe(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const name = element.localName + [...element.classList].map((c) => "." + c).join("");
    const text = (node.textContent || "").replace(/\s+/g, " ").trim();
    return text ? `${name} "${text.length > 60 ? text.slice(0, 57) + "..." : text}"` : name;
  }

  function scrollsOnItsOwn(style) {
    return style.overflowX === "auto" || style.overflowX === "scroll";
  }

  // Not displayed, or clipped away to nothing as MathJax's copy of a formula for screen readers
  function unseen(style) {
    return style.display === "none"
      || (style.clip !== "auto" && (style.position === "absolute" || style.position === "fixed"));
  }

  // The rightmost point of anything shown in `root`, outside boxes that scroll sideways on
  // their own; those boxes are listed when their content is wider than they are.
  function overflow(root) {
    let right = 0, culprit = root;
    const boxes = [];
    const range = document.createRange();
    const reach = (rect, node) => {
      if ((rect.width > 0 || rect.height > 0) && rect.right + window.scrollX > right) {
        right = rect.right + window.scrollX;
        culprit = node;
      }
    };
    const visit = (element) => {
      const style = getComputedStyle(element);
      if (unseen(style)) return;
      reach(element.getBoundingClientRect(), element);
      if (element !== root && scrollsOnItsOwn(style)) {
        if (element.scrollWidth > element.clientWidth + SLACK) {
          boxes.push({what: describe(element), scrollWidth: element.scrollWidth,
                      clientWidth: element.clientWidth});
        }
        return;
      }
      for (const child of element.childNodes) {
        if (child.nodeType === Node.ELEMENT_NODE) {
          visit(child);
        } else if (child.nodeType === Node.TEXT_NODE) {
          for (const word of child.data.matchAll(/\S+/g)) {  // spaces that hang at a wrap show nothing
            range.setStart(child, word.index);
            range.setEnd(child, word.index + word[0].length);
            reach(range.getBoundingClientRect(), child);
          }
        }
      }
    };
    visit(root);
    return {right: Math.round(right * 10) / 10, culprit: describe(culprit), boxes};
  }

  // Each character of `element`'s text with the text node and offset it sits at.
  function characters(element) {
    const chars = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let offset = 0; offset < node.data.length; offset++) {
        chars.push({node, offset, ch: node.data[offset]});
      }
    }
    return chars;
  }

  function sourceLines(pre) {
    const marked = pre.querySelectorAll(".ln");
    if (marked.length) return [...marked].map(characters);
    const lines = [[]];
    for (const char of characters(pre)) {
      if (char.ch === "\n") lines.push([]);
      else lines[lines.length - 1].push(char);
    }
    return lines;
  }

  // How a source line with leading spaces is laid out: on how many visual lines, and how far
  // left of its first non-space character the furthest-left continuation line starts.
  function indentedLine(chars) {
    const text = chars.map((char) => char.ch).join("");
    const indent = text.search(/\S/);
    if (!/^[ \t]/.test(text) || indent < 0) return null;
    const range = document.createRange();
    let start = null, line = null, short = 0, visualLines = 0;
    for (const char of chars.slice(indent)) {
      if (!char.ch.trim()) continue;
      range.setStart(char.node, char.offset);
      range.setEnd(char.node, char.offset + 1);
      const rect = range.getBoundingClientRect();
      if (!rect.width) continue;
      if (start === null) start = rect.left;
      if (line === null || rect.top > line.top + line.height / 2) {
        line = rect;
        visualLines++;
        short = Math.max(short, start - rect.left);
      }
    }
    return {text, visualLines, short: Math.round(short * 10) / 10};
  }

  // The text in which MathJax looks for TeX: not in code, scripts, styles or typeset math
  function proseText(root) {
    const skipped = "script, noscript, style, textarea, pre, code, mjx-container";
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest(skipped)) parts.push(node.data);
    }
    return parts.join("");
  }

  function measure(card, side) {
    const qa = document.getElementById("qa");
    const code = {indentedLines: 0, wrappedLines: 0, indent: []};
    for (const pre of qa.querySelectorAll("pre.code")) {
      for (const chars of sourceLines(pre)) {
        const line = indentedLine(chars);
        if (!line) continue;
        code.indentedLines++;
        if (line.visualLines > 1) code.wrappedLines++;
        if (line.visualLines > 1 && line.short > SLACK) code.indent.push(line);
      }
    }
    const text = proseText(qa);
    return {
      label: card.label, side,
      viewport: document.documentElement.clientWidth,
      scrollWidth: document.documentElement.scrollWidth,
      ...overflow(qa),
      ...code,
      math: qa.querySelectorAll("mjx-container").length,
      rawMath: /\\\(|\\\[/.test(text),
      // a TeX error, or a command MathJax does not know, which it shows as red text
      mathErrors: qa.querySelectorAll("mjx-merror").length
        + [...qa.querySelectorAll("mjx-mtext")].filter(
            (node) => getComputedStyle(node).color === "rgb(255, 0, 0)").length
        + (/Invalid (MathJax|html) on card/.test(text) ? 1 : 0),
    };
  }

  const shown = () => new Promise((resolve) => _queueAction(resolve));

  async function main() {
    await MathJax.startup.promise;
    report.mathjax = MathJax.version;
    report.viewport = document.documentElement.clientWidth;
    for (const card of JSON.parse(document.getElementById("cards").textContent)) {
      _showQuestion(card.question, card.answer, card.bodyclass);
      await shown();
      await document.fonts.ready;
      report.renders.push(measure(card, "question"));
      _showAnswer(card.answer);
      await shown();
      await document.fonts.ready;
      report.renders.push(measure(card, "answer"));
    }
  }

  main().catch((error) => report.errors.push(String(error && error.stack || error))).finally(() => {
    parent.postMessage(JSON.stringify(report), "*");
  });
})();
"""
