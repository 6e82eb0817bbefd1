"""The editors' admin end to end in Chromium: a copy of the example site made a git
repository, decap-server (git mode, so the editorial workflow works) against it, the build
served, and an editor's changes made through Decap CMS's own screens.

With SITEGEN_SCREENSHOTS=DIR the tests save admin-list.png, admin-editor.png,
admin-workflow.png and admin-ward.png there (`make screenshots` copies them to docs/images/)."""
from __future__ import annotations

import difflib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_DATE, ROOT, run_cli

pytestmark = pytest.mark.browser

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
WARD = "alibon"
GIT = ["git", "-c", "user.name=Test Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    request = urllib.request.Request(url, data=json.dumps({"action": "info"}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback only
            return "editorial_workflow" in json.load(response)["publish_modes"]
    except OSError:
        return False


def _example_repository(folder: Path, port: int) -> Path:
    """The example site copied into FOLDER/site, its admin's decap-server on PORT, committed."""
    site = folder / "site"
    site.mkdir()
    text = (ROOT / "site.yaml").read_text()
    assert "\nadmin:\n" in text, "the example site.yaml has an admin: section"
    (site / "site.yaml").write_text(text.replace("\nadmin:\n", f"\nadmin:\n  local_port: {port}\n", 1))
    for name in ("content", "forms", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, site / name)
    (site / ".gitignore").write_text(".cache/\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(site)], check=True)
    subprocess.run([*GIT, "-C", str(site), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(site), "commit", "-q", "-m", "The example site"], check=True)
    return site


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory, serve_dir):
    """(site folder, the admin's URL): built once, decap-server running for the module."""
    assert shutil.which("node") and DECAP_SERVER.is_file(), "needs node and decap-server: run make assets"
    folder = tmp_path_factory.mktemp("admin")
    port = _free_port()
    site = _example_repository(folder, port)
    result = run_cli("build", "--site", str(site), "--out", str(folder / "build"), "--build-date", BUILD_DATE,
                     "--state", str(folder / "state"))
    assert result.exit_code == 0, result.output
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git",
           "GIT_REPO_DIRECTORY": str(site), "LOG_LEVEL": "warn",
           "GIT_AUTHOR_NAME": "Test Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Test Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    server = subprocess.Popen(["node", str(DECAP_SERVER)], cwd=site, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"http://127.0.0.1:{port}/api/v1"):
            assert server.poll() is None and time.monotonic() < deadline, "decap-server did not start"
            time.sleep(0.2)
        yield site, serve_dir(folder / "build") + "/admin/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def editor(browser):
    """A tab 1000 px wide (the screenshots' width) that reports errors on the page."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text
            else None)
    yield page, errors
    context.close()


def screenshot(page, name: str) -> None:
    """Save PAGE as NAME in $SITEGEN_SCREENSHOTS (if set), with at most 64 colours, optimised."""
    folder = os.environ.get("SITEGEN_SCREENSHOTS")
    if not folder:
        return
    from PIL import Image
    Path(folder).mkdir(parents=True, exist_ok=True)
    raw = Path(folder) / f"{name}.raw.png"
    page.add_style_tag(content=".Toastify { display: none !important; }")   # "Entry saved" and the like
    page.screenshot(path=str(raw), animations="disabled")
    with Image.open(raw) as image:
        image.convert("RGB").quantize(colors=64).save(Path(folder) / f"{name}.png", optimize=True)
    raw.unlink()


def log_in(page, url: str) -> None:
    """Open the admin and log in to the local backend (decap-server)."""
    page.goto(url)
    page.get_by_role("button", name="Login").click()
    # Decap checks config.yml against its own schema first: a config it refuses shows
    # "Error loading the CMS configuration" instead of the collections.
    page.get_by_text("Contents").first.wait_for()
    assert "Error loading the CMS configuration" not in page.content()


def propose_and_publish(page, status: str = "Draft") -> None:
    """Through the editorial workflow of the entry open in PAGE, already saved: set it
    Ready, then publish it (merged into main)."""
    page.get_by_text(f"Status: {status}").click()
    page.get_by_role("menuitem", name="Ready").click()
    page.get_by_text("Status: Ready").wait_for()
    page.get_by_text("Publish", exact=True).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("menuitem", name="Publish now").click()


def git(site: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(site), *args], check=True, capture_output=True, text=True).stdout


def wait_for_file(path: Path, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while not path.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    return path.is_file()


def test_news_story_through_the_editorial_workflow(admin_site, editor):
    site, url = admin_site
    page, errors = editor
    log_in(page, url)
    page.goto(url + "#/collections/areas")
    page.get_by_role("link", name="Alibon", exact=True).wait_for()
    # Each ward once: its area.cy.yaml is no ward of its own (admin.mjs leaves translations out).
    assert page.locator('a[href*="/entries/"][href$=".cy"]').count() == 0
    assert page.locator('a[href$="/entries/alibon/area"]').count() == 1
    screenshot(page, "admin-list")

    page.goto(url + f"#/collections/news-{WARD}/new")
    page.get_by_label("Title").fill("Free bike marking at the library")
    page.locator("input[type=date]").fill("2026-11-27")
    page.get_by_label("Summary (optional)").fill("Bring your bike to the library on Saturday morning.")
    page.locator("[contenteditable=true]").click()
    page.keyboard.type("We will mark bikes for free outside the library from 10am to midday.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Status: Draft").wait_for()
    screenshot(page, "admin-editor")
    assert git(site, "branch", "--list", "cms/*").strip() == f"cms/news-{WARD}/free-bike-marking-at-the-library"

    page.get_by_text("Status: Draft").click()
    page.get_by_role("menuitem", name="Ready").click()
    page.get_by_text("Status: Ready").wait_for()
    page.goto(url + "#/workflow")
    page.get_by_text("1 ready to go live").wait_for()
    screenshot(page, "admin-workflow")

    page.goto(url + f"#/collections/news-{WARD}/entries/free-bike-marking-at-the-library")
    page.get_by_text("Publish", exact=True).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("menuitem", name="Publish now").click()
    story = site / "content" / "areas" / WARD / "news" / "free-bike-marking-at-the-library.md"
    assert wait_for_file(story)
    assert story.read_text() == ("---\ntitle: Free bike marking at the library\ndate: '2026-11-27'\n"
                                 "summary: Bring your bike to the library on Saturday morning.\n---\n"
                                 "We will mark bikes for free outside the library from 10am to midday.\n")
    assert "free-bike-marking-at-the-library" in git(site, "log", "-1", "--format=%s", "main")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert errors == []


def test_an_area_edit_changes_that_field_and_keeps_the_rest(admin_site, editor):
    site, url = admin_site
    page, errors = editor
    area = site / "content" / "areas" / WARD / "area.yaml"
    before = area.read_text()
    log_in(page, url)
    page.goto(url + f"#/collections/areas/entries/{WARD}/area")
    action = page.locator("textarea[id^=action-field]").first
    action.wait_for(state="attached")
    item = page.get_by_text("Bike theft from outside the shops.").first.locator("xpath=..")
    item.locator("button").first.click()        # the item's top bar: expand, drag, remove
    action.fill("We marked 60 bikes and the council added 20 cycle stands.")
    # A box cleared leaves its key out (sitegen/admin/js/admin.mjs), where Decap would write "".
    second = page.get_by_text("Drug dealing and drug use near the station.").first.locator("xpath=..")
    second.locator("button").first.click()
    page.locator("textarea[id^=action-field]").nth(1).fill("")
    action.scroll_into_view_if_needed()
    screenshot(page, "admin-ward")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Status: Draft").wait_for()
    propose_and_publish(page)
    deadline = time.monotonic() + 20
    while area.read_text() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    after = area.read_text()
    # Read as text, as sitegen reads values ('2026-10-01' and 2026-10-01 are the same date to it).
    old, new = yaml.load(before, Loader=yaml.BaseLoader), yaml.load(after, Loader=yaml.BaseLoader)
    assert new["priorities"][0]["action"] == "We marked 60 bikes and the council added 20 cycle stands."
    old["priorities"][0]["action"] = new["priorities"][0]["action"]
    del old["priorities"][1]["action"]
    assert new == old                           # every other value as it was
    assert list(new) == list(old)               # the keys in the same order
    # What the admin does to a YAML file it rewrites (docs/editing.md says so): values and the order
    # of keys are kept, and so are the lines of what was not edited; comments are dropped, long text
    # is on one line; a date keeps its quotes (a text YAML would read as a date is quoted).
    assert before.startswith("# Example content") and not after.startswith("#")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[0] in "+-"]
    assert len(changed) < 20, changed             # the lines of what was not edited are as they were
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert errors == []
