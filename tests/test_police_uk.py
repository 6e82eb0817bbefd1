"""import-police-uk against a local fake of the data.police.uk API (127.0.0.1,
threaded) serving the recorded responses in tests/fixtures/police_uk/."""
from __future__ import annotations

import http.server
import json
import re
import threading
from datetime import UTC
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import sitegen.importers.http as http_module
from browser import axe_violations, describe
from conftest import BUILD_DATE, run_cli
from sitegen.errors import ServiceError
from sitegen.importers.checked import area_yaml_problems
from sitegen.importers.http import HttpClient, RetryPolicy, TokenBucket, parse_retry_after
from sitegen.importers.police_uk.api import Neighbourhood
from sitegen.importers.police_uk.area_yaml import area_yaml_text
from sitegen.importers.police_uk.mapping import area_fields

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "police_uk"


class FakeApi:
    """Recorded responses by path, with scripted answers queued in front of them."""

    def __init__(self, root: Path):
        self.root = root
        self.queued: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.always: tuple[int, dict, bytes] | None = None
        self.replaced: dict[str, object] = {}
        self.stall = threading.Event()
        self.stalled_paths: set[str] = set()
        self.log: list[str] = []

    def queue(self, path: str, status: int, headers: dict | None = None, body: bytes = b"") -> None:
        """Answer the next request for PATH with STATUS (then go back to the recording)."""
        self.queued.setdefault(path, []).append((status, headers or {}, body))

    def replace(self, path: str, value: object) -> None:
        """Serve VALUE as JSON for PATH from now on."""
        self.replaced[path] = value

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        """The status, headers and body for PATH."""
        self.log.append(path)
        if path in self.stalled_paths:
            self.stall.wait(10)
        if self.queued.get(path):
            return self.queued[path].pop(0)
        if self.always:
            return self.always
        if path in self.replaced:
            return 200, {}, json.dumps(self.replaced[path]).encode()
        file = self.root / (path.removeprefix("/api/").strip("/") + ".json")
        if not file.is_file():
            return 404, {}, b'{"error": "not found"}'
        return 200, {}, file.read_bytes()


def _handler(api: FakeApi):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server wants
            status, headers, body = api.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002
            pass
    return Handler


@pytest.fixture
def api():
    """A FakeApi served on 127.0.0.1; its base URL is api.url."""
    fake = FakeApi(FIXTURES)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    yield fake
    fake.stall.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def sleeps(monkeypatch):
    """Record every pause the client would make instead of waiting."""
    delays: list[float] = []
    monkeypatch.setattr(http_module, "pause", delays.append)
    return delays


def run_import(site: Path, api: FakeApi, *args: str):
    return run_cli("import-police-uk", "--site", str(site), "--api-url", api.url, *args)


def area_yaml(site: Path, slug: str) -> dict:
    return yaml.safe_load((site / "content/areas" / slug / "area.yaml").read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- creating


def test_creates_an_area_with_every_field(make_site, api, sleeps):
    site = make_site("example")
    result = run_import(site, api, "--force", "leicestershire")
    assert result.exit_code == 0, result.output
    assert "created city-centre (leicestershire/NC04)" in result.output
    data = area_yaml(site, "city-centre")
    assert data["name"] == "City Centre"
    assert data["police_uk_force"] == "leicestershire" and data["police_uk_id"] == "NC04"
    assert data["population"] == 1000
    assert data["description"].startswith("The Castle neighbourhood is a diverse covering all of the City Centre.")
    assert "\n\nThe Highcross and Haymarket shopping centres" in data["description"]
    assert "<p>" not in data["description"]
    assert data["contact"] == {"email": "centralleicester.npa@leicestershire.pnn.police.uk", "phone": "101",
                               "address": "Mansfield House, 74 Belgrave Gate, Leicester, LE1 3GG"}
    assert data["social"] == [
        {"network": "x", "url": "http://www.twitter.com/centralleicsNPA"},
        {"network": "facebook", "url": "http://www.facebook.com/leicspolice"},
        {"network": "web", "url": "http://www.leics.police.uk/local-policing/city-centre"}]
    roger, sam = data["team"]
    assert roger["name"] == "Roger Bannister" and roger["role"] == "Assistant Chief Officer (Crime)"
    assert roger["bio"].startswith("Roger joined Lincolnshire Police in 1988")
    assert sam == {"name": "Sam Patel", "role": "PCSO"}
    assert data["priorities"][0] == {
        "issue": "To reduce street drinking and drug use in and around Museum Square, Leicester.",
        "date": "2015-10-08", "action": data["priorities"][0]["action"], "action_date": "2015-12-22"}
    assert data["priorities"][0]["action"].startswith("Following the closure of a property on West Street")
    assert data["priorities"][1] == {"issue": "To reduce the amount of Anti-Social Behaviour Humberstone Gate,"
                                              " Leicester.", "date": "2016-04-14"}
    assert data["events"] == [
        {"id": "beat-surgery-2026-12-05", "title": "Beat surgery", "start": "2026-12-05T10:00",
         "end": "2026-12-05T12:00", "location": "Clock Tower, Leicester",
         "description": "Meet your local officers and raise any concerns."},
        {"id": "cycle-marking-2027-01-09", "title": "Cycle marking", "start": "2027-01-09T13:00",
         "location": "Haymarket Shopping Centre"}]
    boundary = json.loads((site / "content/areas/city-centre/boundary.geojson").read_text())
    ring = boundary["geometry"]["coordinates"][0]
    assert boundary["geometry"]["type"] == "Polygon" and ring[0] == ring[-1] == [-1.1416, 52.6411]
    assert len(ring) == 10


def test_an_imported_site_checks_and_builds(make_site, api, sleeps, tmp_path):
    site = make_site("example")
    assert run_import(site, api, "--force", "leicestershire").exit_code == 0
    assert run_import(site, api, "--force", "metropolitan").exit_code == 0
    # The API gives Barnsbury no boundary; check asks for one, as City Centre (no borough either) has one.
    barnsbury = {"type": "Polygon", "coordinates": [[[-0.11, 51.54], [-0.1, 51.54], [-0.1, 51.55], [-0.11, 51.54]]]}
    (site / "content/areas/barnsbury/boundary.geojson").write_text(json.dumps(barnsbury))
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    page = (out / "areas/city-centre/index.html").read_text()
    assert "Roger Bannister" in page and "Museum Square" in page and "Beat surgery" in page
    assert "The Highcross and Haymarket shopping centres" in page
    published = json.loads((out / "areas/city-centre/boundary.geojson").read_text())
    assert published["type"] == "Feature" and published["properties"]["name"] == "City Centre"


def test_met_ids_match_existing_areas_by_code_and_old_code(make_site, api, sleeps):
    site = make_site("example")
    before = len(list((site / "content/areas").iterdir()))
    result = run_import(site, api, "--force", "metropolitan")
    assert result.exit_code == 0, result.output
    assert "updated alibon (metropolitan/E05000027)" in result.output            # by code
    assert "updated abbey-barking-and-dagenham (metropolitan/00ABFX)" in result.output   # by old_code
    assert "created barnsbury (metropolitan/E05000366)" in result.output
    assert len(list((site / "content/areas").iterdir())) == before + 1
    alibon = area_yaml(site, "alibon")
    assert alibon["police_uk_id"] == "E05000027" and alibon["code"] == "E05000027"
    assert alibon["borough"] == "Barking and Dagenham" and alibon["example"] is True   # editors' keys kept
    assert [m["name"] for m in alibon["team"]] == ["Chris Ward", "Dee Okoro"]
    assert alibon["contact"]["address"] == "999 Letsbehavinyou, FakeTown"
    networks = [s["network"] for s in alibon["social"]]
    assert networks == ["x", "facebook", "youtube", "web"]                      # myspace, bebo... skipped
    barnsbury = area_yaml(site, "barnsbury")
    assert barnsbury["code"] == "E05000366"
    assert barnsbury["contact"]["address"] == "Islington Police Station, 2 Tolpuddle Street, London, N7 8RN"
    assert not (site / "content/areas/barnsbury/boundary.geojson").exists()     # the API had none
    assert not [p for p in (site / "content/areas").iterdir() if p.name.startswith(".")]


def test_a_stored_police_uk_id_wins_and_only_chosen_neighbourhoods_are_read(make_site, api, sleeps):
    site = make_site("example")
    becontree = site / "content/areas/becontree/area.yaml"
    becontree.write_text(becontree.read_text() + "police_uk_force: metropolitan\npolice_uk_id: e05000366\n")
    result = run_import(site, api, "--force", "metropolitan", "--neighbourhood", "E05000366")
    assert result.exit_code == 0, result.output
    assert "updated becontree (metropolitan/E05000366)" in result.output
    assert area_yaml(site, "becontree")["name"] == "Barnsbury"
    assert not any("E05000027" in path for path in api.log)


def test_a_new_area_whose_name_is_taken_gets_the_id_in_its_address(make_site, api, sleeps):
    site = make_site("example")
    (site / "content/areas/city-centre").mkdir()
    (site / "content/areas/city-centre/area.yaml").write_text("name: City Centre\nborough: Westminster\n")
    result = run_import(site, api, "--force", "leicestershire")
    assert "created city-centre-nc04 (leicestershire/NC04)" in result.output
    assert area_yaml(site, "city-centre") == {"name": "City Centre", "borough": "Westminster"}


def test_an_unknown_neighbourhood_is_a_usage_problem(make_site, api, sleeps):
    site = make_site("example")
    result = run_import(site, api, "--force", "metropolitan", "--neighbourhood", "E0500002")
    assert result.exit_code == 1
    assert "--neighbourhood: 'E0500002' is not a neighbourhood of 'metropolitan'" in result.output
    assert "did you mean 'E05000027'?" in result.output


def test_an_unknown_force_names_the_url(make_site, api, sleeps):
    site = make_site("example")
    result = run_import(site, api, "--force", "atlantis")
    assert result.exit_code == 1
    assert f"{api.url}/atlantis/neighbourhoods: not found (HTTP 404)" in result.output


@pytest.mark.browser
def test_the_imported_ward_page_with_its_map_has_no_axe_violations(make_site, api, sleeps, tmp_path, serve_dir,
                                                                    page):
    site = make_site("example")
    assert run_import(site, api, "--force", "metropolitan").exit_code == 0
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE).exit_code == 0
    html = (out / "areas/alibon/index.html").read_text()
    assert " style=" not in html
    path = re.search(r'<path class="sitegen-map__shape" d="([^"]+)"', html)[1]
    assert 50 < path.count("L") < 300                           # the 342-point outline, simplified
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.goto(serve_dir(out) + "/areas/alibon/")
    map_image = page.get_by_role("img", name="Map of the area the Alibon team covers")
    assert map_image.is_visible()
    box = map_image.bounding_box()
    assert box["width"] > 150 and box["height"] > 80
    assert page.evaluate("getComputedStyle(document.querySelector('.sitegen-map__shape')).fillRule") == "evenodd"
    assert refused == []                                        # nothing the page's own CSP blocks
    violations = axe_violations(page)
    assert not violations, describe(violations)


# ---------------------------------------------------------------- untrusted HTML


def test_hostile_html_becomes_plain_text(make_site, api, sleeps, tmp_path):
    site = make_site("example")
    assert run_import(site, api, "--force", "metropolitan").exit_code == 0
    text = (site / "content/areas/abbey-barking-and-dagenham/area.yaml").read_text()
    for bad in ("alert", "onerror", "onclick", "javascript:", "<img", "<a ", "display:none", "evil", "svg text",
                "obj", "<i>", "<b>", "a comment"):
        assert bad not in text, bad
    abbey = area_yaml(site, "abbey-barking-and-dagenham")
    assert abbey["name"] == "Abbey ward"
    assert abbey["description"] == "Abbey is lovely.\n\nClick me\n\nFish & chips <script>not a tag</script>"
    assert abbey["team"] == [{"name": "Pat Jones", "role": "PC", "bio": "Pat likes bikes."}]
    assert abbey["priorities"][0]["issue"] == "Dealing near the station"
    assert abbey["priorities"][0]["action"] == "We acted."
    assert abbey["contact"] == {"email": "abbey.snt@met.police.uk", "phone": "101"}
    assert abbey["social"] == [{"network": "facebook", "url": "https://www.facebook.com/mpsabbey"}]

    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE).exit_code == 0
    page = (out / "areas/abbey-barking-and-dagenham/index.html").read_text()
    assert "Fish &amp; chips &lt;script&gt;not a tag&lt;/script&gt;" in page
    assert "<script>not a tag" not in page and "javascript:" not in page


# ---------------------------------------------------------------- re-importing


def test_reimport_keeps_editors_pages_and_pinned_fields(make_site, api, sleeps):
    site = make_site("example")
    assert run_import(site, api, "--force", "metropolitan").exit_code == 0
    folder = site / "content/areas/alibon"
    (folder / "news/ward-walk.md").write_text("---\ntitle: Ward walk\ndate: 2026-11-20\n---\nWe walked the ward.\n")
    data = area_yaml(site, "alibon")
    data["team"] = [{"name": "Editor Chosen", "role": "Police Sergeant"}]
    data["summary"] = "Written by an editor."
    data["pinned"] = ["summary", "team"]
    data["social"][0]["feed"] = "https://example.org/alibon.xml"
    (folder / "area.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    news_before = snapshot(folder / "news")

    api.replace("/api/metropolitan/E05000027/people", [{"name": "New Officer", "rank": "PC"}])
    api.replace("/api/metropolitan/E05000027/priorities", [
        {"issue": "Speeding on Heathway.", "issue-date": "2026-11-01T00:00:00", "action": None, "action-date": None}])
    result = run_import(site, api, "--force", "metropolitan")
    assert result.exit_code == 0, result.output
    assert "updated alibon (metropolitan/E05000027): priorities; pinned, left as written: summary, team" \
        in result.output
    assert "unchanged abbey-barking-and-dagenham (metropolitan/00ABFX)" in result.output
    assert "unchanged barnsbury (metropolitan/E05000366)" in result.output
    assert "Created 0, updated 1, left 2 unchanged" in result.output
    after = area_yaml(site, "alibon")
    assert after["team"] == [{"name": "Editor Chosen", "role": "Police Sergeant"}]
    assert after["summary"] == "Written by an editor."
    assert after["priorities"] == [{"issue": "Speeding on Heathway.", "date": "2026-11-01"}]
    assert after["social"][0]["feed"] == "https://example.org/alibon.xml"
    assert snapshot(folder / "news") == news_before


def test_reimport_with_nothing_new_writes_nothing(make_site, api, sleeps):
    site = make_site("example")
    assert run_import(site, api, "--force", "metropolitan").exit_code == 0
    folder = site / "content/areas/alibon"
    (folder / "area.yaml").write_text("# An editor's comment\n" + (folder / "area.yaml").read_text())
    before = snapshot(site)
    result = run_import(site, api, "--force", "metropolitan")
    assert result.exit_code == 0, result.output
    assert "Created 0, updated 0, left 3 unchanged" in result.output
    assert snapshot(site) == before                         # the comment survives too


def test_once_linked_the_api_is_the_source(make_site, api, sleeps):
    site = make_site("example")
    assert run_import(site, api, "--force", "metropolitan").exit_code == 0
    assert "events" in area_yaml(site, "alibon")
    api.replace("/api/metropolitan/E05000027/events", [])
    result = run_import(site, api, "--force", "metropolitan")
    assert "updated alibon (metropolitan/E05000027): events" in result.output
    assert "events" not in area_yaml(site, "alibon")


def test_first_link_pins_what_the_api_does_not_have(make_site, api, sleeps):
    site = make_site("example")
    before = area_yaml(site, "abbey-barking-and-dagenham")
    result = run_import(site, api, "--force", "metropolitan")
    assert "pinned because the API has none, yours kept: events" in result.output
    after = area_yaml(site, "abbey-barking-and-dagenham")
    assert after["events"] == before["events"]              # the API listed no events for 00ABFX
    assert after["pinned"] == ["events"]
    assert "unchanged abbey-barking-and-dagenham" in run_import(site, api, "--force", "metropolitan").output


# ---------------------------------------------------------------- a polite client


def test_429_then_success_honours_retry_after(make_site, api, sleeps):
    site = make_site("example")
    api.queue("/api/leicestershire/neighbourhoods", 429, {"Retry-After": "7"})
    api.queue("/api/leicestershire/NC04/people", 503)
    result = run_import(site, api, "--force", "leicestershire")
    assert result.exit_code == 0, result.output
    assert sleeps == [7.0, 0.5]
    assert api.log.count("/api/leicestershire/neighbourhoods") == 2
    assert area_yaml(site, "city-centre")["team"][0]["name"] == "Roger Bannister"


def test_500_everywhere_is_exit_3_naming_the_url_and_changes_nothing(make_site, api, sleeps):
    site = make_site("example")
    before = snapshot(site)
    api.always = (500, {}, b"oops")
    result = run_import(site, api, "--force", "metropolitan")
    assert result.exit_code == 3
    assert (f"{api.url}/metropolitan/neighbourhoods: the API answered HTTP 500; gave up after 5 attempts"
            in result.stderr)
    assert "Traceback" not in result.output
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    assert snapshot(site) == before


def test_a_failure_after_some_areas_were_fetched_changes_nothing(make_site, api, sleeps):
    site = make_site("example")
    before = snapshot(site)
    for _ in range(5):
        api.queue("/api/metropolitan/E05000366/people", 502)
    result = run_import(site, api, "--force", "metropolitan")
    assert result.exit_code == 3
    assert f"{api.url}/metropolitan/E05000366/people: the API answered HTTP 502" in result.stderr
    assert snapshot(site) == before
    assert [p.name for p in (site / "content/areas").iterdir() if p.name.startswith(".")] == []


def test_a_failure_while_writing_leaves_no_half_written_area(make_site, api, sleeps, monkeypatch):
    import sitegen.importers.police_uk as police_uk
    site = make_site("example")
    before = snapshot(site)
    real_stage, calls = police_uk._stage, []

    def failing_stage(plan):
        calls.append(plan.slug)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_stage(plan)

    monkeypatch.setattr(police_uk, "_stage", failing_stage)
    with pytest.raises(OSError):
        run_import(site, api, "--force", "metropolitan")
    assert snapshot(site) == before
    assert [p.name for p in site.rglob(".*")] == []


def test_an_invalid_existing_area_stops_the_import_before_any_request(make_site, api, sleeps):
    site = make_site("example")
    path = site / "content/areas/alibon/area.yaml"
    path.write_text(path.read_text() + "pinned: [teams]\n")
    result = run_import(site, api, "--force", "metropolitan")
    assert result.exit_code == 1
    assert "content/areas/alibon/area.yaml" in result.output and "did you mean 'team'?" in result.output
    assert api.log == []


def test_connection_refused_is_exit_3(make_site, sleeps):
    site = make_site("example")
    result = run_cli("import-police-uk", "--site", str(site), "--api-url", "http://127.0.0.1:9/api",
                     "--force", "metropolitan")
    assert result.exit_code == 3
    assert "http://127.0.0.1:9/api/metropolitan/neighbourhoods: could not connect" in result.stderr


def test_a_stalled_server_times_out(api):
    api.stalled_paths.add("/api/slow")
    client = HttpClient(api.url, timeout=0.2, policy=RetryPolicy(attempts=2), sleep=lambda s: None)
    with pytest.raises(ServiceError) as caught:
        client.get_json("/slow")
    assert f"{api.url}/slow: no answer within 0.2 seconds; gave up after 2 attempts" in str(caught.value)


def test_answers_that_are_not_worth_retrying_fail_at_once(api):
    client = HttpClient(api.url, sleep=lambda s: None)
    api.queue("/api/forbidden", 403)
    api.queue("/api/html", 200, {}, b"<html>maintenance</html>")
    api.queue("/api/big", 200, {}, b"[" + b"1," * 600 + b"1]")
    with pytest.raises(ServiceError, match="forbidden: the API answered HTTP 403$"):
        client.get_json("/forbidden")
    with pytest.raises(ServiceError, match="html: the answer is not valid JSON"):
        client.get_json("/html")
    client.max_bytes = 1000
    with pytest.raises(ServiceError, match="big: the answer is larger than"):
        client.get_json("/big")
    assert api.log == ["/api/forbidden", "/api/html", "/api/big"]


def test_only_http_urls_are_accepted(make_site):
    result = run_cli("import-police-uk", "--site", str(make_site("example")), "--force", "metropolitan",
                     "--api-url", "file:///etc")
    assert result.exit_code == 1 and "--api-url: 'file:///etc' is not an http(s) URL" in result.output


def test_a_force_id_is_checked_before_anything_else(make_site):
    result = run_cli("import-police-uk", "--site", str(make_site("example")), "--force", "../etc")
    assert result.exit_code == 2


class FakeClock:
    """Time that moves only when something sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_allows_a_burst_then_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(rate=15, burst=30, clock=clock, sleep=clock.sleep)
    for _ in range(30):
        bucket.acquire()
    assert clock.slept == []
    for _ in range(15):
        bucket.acquire()
    assert clock.slept == pytest.approx([1 / 15] * 15)
    assert clock.now - 1000 == pytest.approx(1.0)
    clock.now += 10                                          # idle: the bucket refills to the burst only
    for _ in range(30):
        bucket.acquire()
    assert len(clock.slept) == 15
    bucket.acquire()
    assert len(clock.slept) == 16


def test_token_bucket_keeps_the_rate_even_if_the_clock_stands_still():
    clock = FakeClock()
    slept: list[float] = []
    bucket = TokenBucket(rate=10, burst=2, clock=clock, sleep=slept.append)
    for _ in range(12):
        bucket.acquire()
    assert sum(slept) == pytest.approx(1.0)


def test_retry_after_as_seconds_or_a_date():
    from datetime import datetime
    now = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Sat, 28 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Sat, 28 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert RetryPolicy().delay(1, 1000.0) == 120.0          # a huge Retry-After is capped
    assert [RetryPolicy().delay(n, None) for n in (1, 2, 3, 8)] == [0.5, 1.0, 2.0, 30.0]


def test_control_characters_from_the_api_are_removed_and_long_text_clipped_and_both_reported(make_site, api, sleeps):
    site = make_site("example")
    api.replace("/api/leicestershire/NC04/events", [])
    api.replace("/api/leicestershire/NC04", {"name": "Hinckley\x1b[31m Central\x07",
                                             "description": "Town\x00 centre. " + "word " * 1500,
                                             "population": "²"})
    result = run_import(site, api, "--force", "leicestershire")
    assert result.exit_code == 0, result.output
    written = area_yaml(site, "hinckley-31m-central")
    assert written["name"] == "Hinckley[31m Central" and written["description"].startswith("Town centre.")
    assert len(written["description"]) <= 5000 and "population" not in written
    assert "removed the control character(s) U+0000, U+0007, U+001B" in result.output
    assert "NC04: the API's description is 7,512 characters long; clipped to 5000" in result.output
    assert run_cli("check", "--site", str(site)).exit_code == 0


API_TEXT = (st.text(st.characters(categories=None), max_size=60)
            | st.sampled_from(["<p>a\x1b</p>", "\ud800x", "²", "x" * 6000]))


@settings(max_examples=100, deadline=None)
@given(detail=st.fixed_dictionaries({"name": API_TEXT, "description": API_TEXT,
                                     "population": API_TEXT | st.integers()}),
       people=st.lists(st.fixed_dictionaries({"name": API_TEXT, "rank": API_TEXT, "bio": API_TEXT}), max_size=3),
       priorities=st.lists(st.fixed_dictionaries({"issue": API_TEXT, "action": API_TEXT,
                                                  "issue-date": st.just("2026-10-01T00:00:00")}), max_size=2))
def test_whatever_the_api_sends_the_area_yaml_written_passes_check(detail, people, priorities):
    neighbourhood = Neighbourhood("NC04", detail, people, priorities, [], [])
    fields = area_fields(neighbourhood, "leicestershire", [])
    text = area_yaml_text(fields, "leicestershire", "NC04")
    assert area_yaml_problems(text, "content/areas/nc04/area.yaml") == [], text


@pytest.mark.parametrize(("population", "shown"), [(-1, "-1"), ("-1", "-1"), ("many", "many"), ("1.5", "1.5"),
                                                   ("²", "²"), (10**20, str(10**20))])
def test_a_population_left_out_is_noted(population, shown):
    """A population the API gives that is no whole number of people is left out, with a note."""
    notes: list[str] = []
    fields = area_fields(Neighbourhood("NC04", {"name": "X", "population": population}, [], [], [], []),
                         "leicestershire", notes)
    assert fields.get("population") is None
    assert f"NC04: skipped the population '{shown}', which is not a whole number of people" in notes


@pytest.mark.parametrize("key", ["facebook", "twitter", "url_force"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "data:text/html,x", "//example.org",
                                 "https://exa mple.org/"])
def test_a_social_link_left_out_is_noted(key, url):
    """A social or web link that is not http(s) is left out, with a note naming it, as for phones."""
    detail = {"name": "X", "url_force": url} if key == "url_force" else {
        "name": "X", "contact_details": {key: url}}
    notes: list[str] = []
    fields = area_fields(Neighbourhood("NC04", detail, [], [], [], []), "leicestershire", notes)
    assert not any(link["url"] == url for link in fields.get("social", []))
    assert any(note.startswith("NC04: skipped the ") and f" link '{url}', which is not an http:// or https://"
               " address" in note for note in notes), notes
