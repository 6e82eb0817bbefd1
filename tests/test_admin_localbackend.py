"""decap-server beside `make serve` (sitegen/admin/localbackend.py): started on site.yaml's
admin port on loopback in fs mode, stopped after; a busy port is one line, not a traceback."""
from __future__ import annotations

import json
import re
import shutil
import socket
import time
import urllib.request

from sitegen.admin.localbackend import DECAP_SERVER, local_backend


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def info(port: int) -> dict | None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=b'{"action": "info"}',
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback only
            return json.load(response)
    except OSError:
        return None


def with_admin(site, port: int):
    (site / "site.yaml").write_text((site / "site.yaml").read_text()
                                    + f"admin:\n  repo: force/site\n  local_port: {port}\n"
                                    "  auth_url: https://auth.police.example\n")
    return site


def test_decap_server_runs_while_the_preview_does(make_site, capsys):
    port = free_port()
    site = with_admin(make_site("minimal"), port)
    with local_backend(site) as process:
        assert process is not None
        deadline = time.monotonic() + 30
        while (answer := info(port)) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert answer == {"repo": site.name, "publish_modes": ["simple"], "type": "local_fs"}
    assert process.poll() is not None and info(port) is None
    assert f"decap-server, fs mode) is on http://127.0.0.1:{port}" in capsys.readouterr().out


def test_a_busy_port_is_one_line(make_site, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        site = with_admin(make_site("minimal"), busy.getsockname()[1])
        with local_backend(site) as process:
            assert process is None
    out = capsys.readouterr().out
    if DECAP_SERVER.is_file() and shutil.which("node"):
        assert out.count("\n") == 1 and "is in use" in out and "admin: local_port" in out


def test_no_admin_no_decap_server(make_site, capsys):
    with local_backend(make_site("minimal")) as process:
        assert process is None
    assert capsys.readouterr().out == ""


def test_the_preview_serves_the_admin_without_live_reload(make_site):
    """A reload on each rebuild would throw away what an editor has not saved yet."""
    from datetime import date

    from sitegen.serve import Preview
    site = with_admin(make_site("minimal"), free_port())
    preview = Preview(site, site / "build", 0, date(2026, 11, 28))
    try:
        with urllib.request.urlopen(preview.url + "admin/", timeout=10) as response:  # noqa: S310 - loopback
            admin = response.read().decode()
        with urllib.request.urlopen(preview.url, timeout=10) as response:  # noqa: S310 - loopback
            home = response.read().decode()
    finally:
        preview.stop()
    assert '<script src="decap-cms.js"></script>' in admin and "reload.js" not in admin
    assert "reload.js" in home


def listening() -> socket.socket:
    """A socket listening on a free loopback port (as another site's decap-server would)."""
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    return busy


def test_make_serve_refuses_a_busy_admin_port(make_site, capsys):
    """Another site's decap-server on admin.local_port would save this admin's edits into that
    site: make serve stops at once with one line, before anything starts."""
    from sitegen import devserver
    with listening() as busy:
        taken = busy.getsockname()[1]
        site = with_admin(make_site("minimal"), taken)
        assert devserver.main(["--site", str(site), "--port", str(free_port())]) == 1
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert said.count("\n") == 1, said
    assert f"Port {taken}" in said and "admin.local_port" in said and "site.yaml" in said
    assert not (site / ".cache" / "preview").exists()


def test_a_busy_preview_port_says_what_to_type_for_make(make_site, capsys):
    from sitegen import devserver
    with listening() as busy:
        taken = busy.getsockname()[1]
        assert devserver.main(["--site", str(make_site("minimal")), "--port", str(taken)]) == 1
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and f"Port {taken}" in said
    assert re.search(r"make serve PORT=\d+", said), said


def test_a_port_just_closed_is_free(tmp_path):
    """A server stopped a moment ago leaves its port in TIME_WAIT; the servers listen with
    SO_REUSEADDR, so port_is_free must ask the same way or a restart is refused."""
    from sitegen.localserver import port_is_free
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()                    # the server's side closes first: its port in TIME_WAIT
    client.close()
    server.close()
    assert port_is_free(port)
    with listening() as busy:
        assert not port_is_free(busy.getsockname()[1])


def test_make_serve_takes_a_port():
    import subprocess

    from conftest import ROOT
    done = subprocess.run(["make", "-n", "serve", "PORT=8001"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=True)
    assert "sitegen.devserver --port 8001" in done.stdout, done.stdout
