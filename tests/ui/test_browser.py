"""A person's path through the page in headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
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
def page_url():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it")
    folder = Path(tempfile.mkdtemp(prefix="synth_browser_", dir="/tmp"))  # the database under /tmp, as on a Space
    settings = Settings(db_path=folder / "history.db")
    demo = app_module.create(settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = app_module.launch_options(app_module.parse_args([]), settings)  # the app's own blocked paths
    options.update(server_name="127.0.0.1", server_port=port, share=False)
    demo.launch(prevent_thread_lock=True, quiet=True, **options)
    yield f"http://127.0.0.1:{port}/"
    demo.close()
    shutil.rmtree(folder, ignore_errors=True)


def test_preview_generate_download_and_visit_every_tab(page_url, tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(page_url)
        expect(page.get_by_text("Records appear here").first).to_be_visible(timeout=30_000)
        page.get_by_label("Records (N)").fill("3")
        page.get_by_label("Seed (empty: random)").fill("11")
        # Preview: records and an estimate, nothing stored.
        page.get_by_role("button", name="Preview 5").click()
        expect(page.get_by_text("records, not stored").first).to_be_visible(timeout=180_000)
        expect(page.get_by_text(re.compile(r"3 records: about \d+ s at [0-9.]+ records/s")).first).to_be_visible()
        assert len(set(re.findall(r"CUS-[0-9]{6}", page.locator("#records-table").inner_text()))) >= 3
        page.screenshot(path=str(OUT / "preview.png"), full_page=True)
        # The full run.
        page.get_by_role("button", name="Generate", exact=True).click()
        expect(page.get_by_text("3/3 records (100%)")).to_be_visible(timeout=180_000)
        table_text = page.locator("#records-table").inner_text()
        assert len(set(re.findall(r"CUS-[0-9]{6}", table_text))) == 3
        # The download is written on request and actually arrives in the browser.
        page.locator("#download-button").click()
        link = page.locator("#download-file a").first
        expect(link).to_be_visible(timeout=60_000)
        with page.expect_download(timeout=60_000) as info:
            link.click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        assert saved.suffix == ".csv" and len(saved.read_text().strip().splitlines()) == 4
        expect(page.get_by_text("Error", exact=True)).to_have_count(0)
        page.screenshot(path=str(OUT / "tab_generate.png"), full_page=True)
        for tab, marker in (
            ("History", "Runs (select a row)"),
            ("Quality", re.compile(r"Quality score: [0-9.]+ / 100")),
            ("Analytics", re.compile(r"1 runs · 3 records")),
            ("Template Builder", "Save (new version)"),
            ("Compare", "Side by side"),
        ):
            page.get_by_role("tab", name=tab).click()
            expect(page.get_by_role("tabpanel").get_by_text(marker).first).to_be_visible(timeout=120_000)
            if tab in ("History", "Quality"):  # the finished run is the selected one
                picker = page.get_by_role("combobox", name="Selected run" if tab == "History" else "Run", exact=True)
                expect(picker).to_have_value(re.compile(r"^#1 · customer_data · completed · 3 · "))
            if tab == "Analytics":
                expect(page.get_by_role("tabpanel").get_by_text("Runs per day").first).to_be_visible(timeout=30_000)
                with page.expect_download(timeout=60_000) as chart:  # each chart exports as PNG
                    page.get_by_role("tabpanel").get_by_role("button", name="Export").first.click()
                assert chart.value.suggested_filename.endswith(".png")
            page.screenshot(path=str(OUT / f"tab_{tab.lower().replace(' ', '_')}.png"), full_page=True)
        expect(page.get_by_text("Error", exact=True)).to_have_count(0)  # no output turned into "Error"
        browser.close()
    for name in ("preview", "generate", "history", "quality", "analytics", "template_builder", "compare"):
        shot = OUT / (f"{name}.png" if name == "preview" else f"tab_{name}.png")
        assert shot.stat().st_size > 10_000


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
        # the fields and the editor now show the schema learned from the file, not the template shown before
        expect(page.locator("#fields-table")).to_contain_text("proline", timeout=30_000)
        expect(page.locator("#fields-table")).not_to_contain_text("email")  # customer_data's field
        page.get_by_text("Advanced: JSON schema").click()
        expect(page.locator("#schema-editor")).to_contain_text('"title": "wine"', timeout=30_000)
        page.screenshot(path=str(OUT / "learn_from_data.png"), full_page=True)
        browser.close()


def test_upload_two_related_tables_confirm_the_key_and_get_both(page_url, tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright
    from related_data import modechoice

    files = []
    for name, frame in modechoice().items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        files.append(str(tmp_path / f"{name}.csv"))
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(page_url)
        page.get_by_text("Learn related tables or sequences").click()
        page.locator("#related-upload input[type=file]").set_input_files(files)
        page.get_by_role("button", name="Find keys and sequences").click()
        keys = page.get_by_label("Keys (CHILD.COLUMN=PARENT.COLUMN, one per line)")
        expect(keys).to_have_value("choices.traveller_id=travellers.traveller_id", timeout=60_000)
        expect(page.get_by_text("travellers (210 rows)", exact=False).first).to_be_visible()
        page.get_by_label("Top-level entities (N").fill("12")
        page.get_by_role("button", name="Generate related tables").click()
        expect(page.get_by_text(re.compile(r"Done: travellers 12, choices \d+"))).to_be_visible(timeout=180_000)
        page.screenshot(path=str(OUT / "related_tables.png"), full_page=True)
        browser.close()


def test_four_ways_in_and_a_described_dataset_to_excel_in_six_steps(page_url, tmp_path) -> None:
    """A new user: one sentence, 1,000 records, an Excel file, no JSON seen; each way in is on the first screen."""
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(exist_ok=True)
    steps: list[str] = []

    def step(name: str, page) -> None:
        steps.append(name)
        page.screenshot(path=str(OUT / f"front_door_{len(steps)}_{name}.png"), full_page=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(page_url)
        ways = page.locator("#ways-in")
        for way in ("Describe in words", "Start from a template", "Learn from my data", "From SQL"):
            expect(ways.get_by_text(way, exact=True)).to_be_visible(timeout=30_000)
        # Each way in shows its own input (screenshots of each; these clicks are a tour, not the user's path).
        for way, marker in (
            ("Start from a template", page.get_by_role("combobox", name="Template", exact=True)),
            ("Learn from my data", page.get_by_text("Real table: CSV, Parquet, JSONL or Excel").first),
            ("From SQL", page.get_by_role("button", name="Use this table")),
        ):
            ways.get_by_text(way, exact=True).click()
            expect(marker).to_be_visible(timeout=30_000)
            page.screenshot(path=str(OUT / f"way_in_{way.lower().replace(' ', '_')}.png"), full_page=True)
        ways.get_by_text("Describe in words", exact=True).click()
        page.reload()  # the user's path starts on a fresh page
        expect(page.locator("#describe-box textarea")).to_be_visible(timeout=30_000)
        page.locator("#describe-box textarea").fill(
            "1,000 employees of a bank with name, email, department, level and salary"
        )
        step("describe", page)
        page.get_by_role("button", name="Draft the fields").click()
        expect(page.locator("#fields-table")).to_contain_text("amount of money", timeout=30_000)
        expect(page.get_by_label("Records (N)")).to_have_value("1000")
        step("draft", page)
        page.get_by_role("button", name="Generate", exact=True).click()
        expect(page.get_by_text("1000/1000 records (100%)")).to_be_visible(timeout=300_000)
        step("generate", page)
        fmt = page.get_by_label("Download format")
        fmt.click()
        page.get_by_role("option", name="xlsx").click()
        step("format", page)
        page.locator("#download-button").click()
        link = page.locator("#download-file a").first
        expect(link).to_be_visible(timeout=60_000)
        step("download", page)
        with page.expect_download(timeout=60_000) as info:
            link.click()
        steps.append("save")
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        expect(page.get_by_text("Error", exact=True)).to_have_count(0)
        browser.close()
    assert len(steps) <= 6, steps
    sheet = load_workbook(saved, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert saved.suffix == ".xlsx" and len(rows) == 1001
    assert {"full_name", "email", "department", "level", "salary"} <= set(rows[0])


def test_edit_a_field_in_words_and_see_its_histogram_and_five_samples(page_url) -> None:
    """No JSON: pick salary, say it rises with level, apply; the fields, a histogram and samples follow."""
    from playwright.sync_api import expect, sync_playwright

    OUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(page_url)
        page.locator("#describe-box textarea").fill("employees with name, level and salary")
        page.get_by_role("button", name="Draft the fields").click()
        expect(page.locator("#fields-table")).to_contain_text("amount of money", timeout=30_000)
        page.get_by_text("Edit a field (no JSON needed)").click()
        page.locator("#field-pick input").click()
        page.get_by_role("option", name="salary", exact=True).click()
        expect(page.get_by_label("Typical value")).to_have_value("62000", timeout=30_000)
        page.get_by_label("Typical value").fill("70000")
        page.get_by_label("Depends on (in words)").fill("falls with level")
        page.locator("#field-apply").click()
        expect(page.get_by_text("Applied salary")).to_be_visible(timeout=30_000)
        expect(page.locator("#fields-table")).to_contain_text("typical 70,000", timeout=30_000)
        expect(
            page.get_by_alt_text("This field over 1,000 draws").or_(page.locator("img[src*='salary']")).first
        ).to_be_visible()
        samples = page.locator("#field-samples")
        expect(samples).to_contain_text("EMP-")
        assert len(set(re.findall(r"EMP-[0-9]{6}", samples.inner_text()))) == 5
        page.get_by_text("Advanced: JSON schema").click()
        expect(page.locator("#schema-editor")).to_contain_text('"median": 70000', timeout=30_000)
        page.screenshot(path=str(OUT / "field_editor.png"), full_page=True)
        expect(page.get_by_text("Error", exact=True)).to_have_count(0)
        browser.close()
