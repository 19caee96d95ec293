"""A person's path through the page in headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path

import pytest

import app as app_module
from synth_gradio.settings import Settings

pytestmark = pytest.mark.model

CHROMIUM = os.environ.get("SYNTH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
OUT = Path(__file__).resolve().parents[1] / "output"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it")
    demo = app_module.create(Settings(db_path=tmp_path_factory.mktemp("browser") / "history.db"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_generate_three_records_and_visit_every_tab(page_url, tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(page_url)
        page.get_by_label("Records (N)").fill("3")
        page.get_by_label("Seed (empty: random)").fill("11")
        page.get_by_role("button", name="Generate", exact=True).click()
        expect(page.get_by_text("3/3 records (100%)")).to_be_visible(timeout=180_000)
        table_text = page.locator("#records-table").inner_text()
        assert len(set(re.findall(r"CUS-[0-9]{6}", table_text))) == 3
        page.screenshot(path=str(OUT / "tab_generate.png"), full_page=True)
        for tab, marker in (
            ("History", "Runs (select a row)"),
            ("Quality", "Show quality"),
            ("Template Builder", "Save (new version)"),
            ("Compare", "Side by side"),
        ):
            page.get_by_role("tab", name=tab).click()
            expect(page.get_by_text(marker).first).to_be_visible(timeout=10_000)
            page.screenshot(path=str(OUT / f"tab_{tab.lower().replace(' ', '_')}.png"), full_page=True)
        browser.close()
    for name in ("generate", "history", "quality", "template_builder", "compare"):
        assert (OUT / f"tab_{name}.png").stat().st_size > 10_000


def test_upload_a_reference_table_and_get_records(page_url, tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright
    from sklearn.datasets import load_wine

    wine = load_wine(as_frame=True).frame.iloc[:, [0, 1, 4, 9, 12, 13]]
    reference = tmp_path / "wine.csv"
    wine.to_csv(reference, index=False)
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(page_url)
        page.get_by_text("Learn from your data (upload a real table)").click()
        expect(page.get_by_text("Your file is real data", exact=False).first).to_be_visible(timeout=10_000)
        page.locator("#reference-upload input[type=file]").set_input_files(str(reference))
        page.get_by_label("New rows (N)").fill("12")
        page.get_by_role("button", name="Generate from my data").click()
        expect(page.get_by_text("12/12 records (100%)")).to_be_visible(timeout=180_000)
        table_text = page.locator("#records-table").inner_text()
        assert "alcohol" in table_text and "proline" in table_text
        page.screenshot(path=str(OUT / "learn_from_data.png"), full_page=True)
        browser.close()
