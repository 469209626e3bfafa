"""Small datasets and checks shared by the report tests."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from vixray_eda.data.sample import ARROW_SCHEMA, sample_frame
from vixray_eda.data.schema import SYNTHETIC_METADATA_KEY

HOSTILE_FINDINGS = "Bóng tim to. <script>alert('x')</script> | cột | --- **đậm** [link](http://evil.example)"
HOSTILE_IMPRESSIONS = "<img src=x onerror=alert(1)> Theo dõi viêm phổi."


_UNMARKED = ARROW_SCHEMA.with_metadata({k: v for k, v in ARROW_SCHEMA.metadata.items()
                                        if k != SYNTHETIC_METADATA_KEY})


def small_dataset(folder: Path, rows: int = 240, hostile: bool = True) -> Path:
    """A small ViX-Ray-layout dataset (from the synthetic generator, standing for real data: its shards carry the
    Hub's feature metadata but not the sample's synthetic mark), with hostile text planted in two rows."""
    frame = sample_frame(rows=rows, seed=3)
    if hostile:
        frame.loc[0, "findings"] = HOSTILE_FINDINGS
        frame.loc[1, "impressions"] = HOSTILE_IMPRESSIONS
    for split, part in frame.groupby("split", sort=False):
        path = folder / "data" / f"{split}-00000-of-00001.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(part.drop(columns="split"), schema=_UNMARKED, preserve_index=False)
        pq.write_table(table, path, row_group_size=100)
    return folder


def external_references(html: str) -> list[str]:
    """src/href/url() values that would make a browser fetch something (anything but data: and #anchors)."""
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)  # real tags only: escaped text (&lt;img ...&gt;) is not a tag
    refs = [m for t in tags for m in re.findall(r"""\b(?:src|href|action|poster)\s*=\s*["']?([^"'\s>]+)""", t)
            if not (t.startswith("<a ") and re.fullmatch(r"figures/[\w.-]+", m))]  # a link to the report's own
    #                                                     figure file is followed only when clicked: not a load
    refs += re.findall(r"url\(([^)]+)\)", html) + re.findall(r"@import\s+[\"']?([^\"';]+)", html)
    return [r for r in refs if not r.startswith(("data:", "#")) and "/index.html" not in r]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def render_in_chromium(page: Path, work: Path) -> tuple[Path, list[str]]:
    """Screenshot of a page in headless Chromium and the URLs the page itself requested (from the net log)."""
    shot, netlog = work / "shot.png", work / "net.json"
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={work / 'profile'}", f"--log-net-log={netlog}", "--window-size=1200,2400",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=False)
    log = json.loads(netlog.read_text())
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    requested = [e["params"]["url"] for e in log["events"]
                 if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
                 and e["params"].get("initiator") != "not an origin"]  # "not an origin": the browser's own requests
    return shot, requested


#: Measures the card's key/value list and banner (run in the page; the result is written into the DOM).
_PROBE = """<script>
const kv = document.querySelector('.vx-card dl.kv'), dt = kv.querySelector('dt'), dd = kv.querySelector('dd');
const b = document.querySelector('.vx-card .banner'), bs = getComputedStyle(b);
const r = (e) => e.getBoundingClientRect();
const out = {kv_same_row: Math.abs(r(dt).top - r(dd).top) < 1, kv_value_offset: Math.round(r(dd).left - r(dt).left),
             dd_margin: getComputedStyle(dd).marginLeft, banner_border: bs.borderTopWidth + ' ' + bs.borderTopStyle,
             banner_background: bs.backgroundColor, banner_padding: bs.paddingLeft, banner_radius: bs.borderTopLeftRadius};
const pre = document.createElement('pre'); pre.id = 'layout-probe'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""


def card_layout(page: Path, work: Path) -> dict:
    """The computed layout of the card's first key/value list and banner in headless Chromium (a copy of `page` with
    a measuring script and without its Content-Security-Policy, which forbids scripts)."""
    html = re.sub(r'<meta[^>]*Content-Security-Policy[^>]*>', "", page.read_text(encoding="utf-8"))
    probe = work / f"probe-{page.stem}.html"
    probe.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", f"--user-data-dir={work / 'profile-probe'}",
                           "--window-size=1200,2000", "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no layout measured: {done.stderr[-500:]}"
    return json.loads(found.group(1).replace("&quot;", '"'))


def alive(pid: int) -> bool:
    """Whether process `pid` is running (a zombie, gone from /proc, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
