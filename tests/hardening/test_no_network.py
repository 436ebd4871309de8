"""No network, ever: sockets are blocked in the suite, and every command runs under an audit hook.

The hook kills the process at the first attempt to resolve a name or open a connection.

Python raises an audit event before any socket is created, connected or any name looked up
(`socket.__new__`, `socket.connect`, `socket.getaddrinfo`, ...), including from libraries, so the
hook sees what no mock could. The hook exits with NETWORK_EXIT, which no command uses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import html5lib
import pytest
from pytest_socket import SocketBlockedError

from tests.conftest import EXAMPLES, ROOT
from tests.hardening.test_untrusted_pack import _active_content

NETWORK_EXIT = 97
HOOKED = textwrap.dedent(
    f"""
    import os, sys

    BLOCKED = ("socket.", "http.client.", "urllib.Request", "ftplib.", "smtplib.", "webbrowser.")

    def no_network(event, args):
        if event.startswith(BLOCKED):
            os.write(2, f"NETWORK: {{event}} {{args!r}}\\n".encode())
            os._exit({NETWORK_EXIT})

    sys.addaudithook(no_network)
    code = sys.argv[1]
    if code == "cli":
        from audit.app.cli import main
        sys.exit(main(sys.argv[2:]))
    exec(code)
    """
)
EXAMPLE = str(EXAMPLES / "linked-everything.yaml")


def hooked(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "WA_AUDIT_HOME": str(home),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [sys.executable, "-c", HOOKED, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket")
def test_the_suite_blocks_sockets() -> None:
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9))


@pytest.mark.parametrize(
    "code",
    [
        "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)",
        "import socket; socket.getaddrinfo('example.org', 443)",
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9/', timeout=1)",
    ],
)
def test_the_hook_catches_a_connection(tmp_path: Path, code: str) -> None:
    # The control: the hook must fire, or the tests below would prove nothing.
    result = hooked(tmp_path, code)
    assert result.returncode == NETWORK_EXIT, result.stderr
    assert "NETWORK: socket." in result.stderr or "NETWORK: urllib" in result.stderr


COMMANDS = [
    ["report", "--answers", EXAMPLE],
    ["report", "--answers", EXAMPLE, "--format", "json"],
    ["report", "--answers", EXAMPLE, "--format", "markdown"],
    ["report", "--answers", EXAMPLE, "--format", "html"],
    ["rules", "check"],
    ["rules", "show"],
    ["rules", "show", "--format", "markdown"],
    ["schema", "report"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:4]).replace(EXAMPLE, "EXAMPLE"))
def test_commands_never_touch_the_network(tmp_path: Path, argv: list[str]) -> None:
    result = hooked(tmp_path / "home", "cli", *argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout


def test_a_whole_session_never_touches_the_network(tmp_path: Path) -> None:
    # Interview from a file (saves answers, files an HTML copy, records a run), then reruns.
    home = tmp_path / "home"
    steps = [
        ["audit", "--answers", EXAMPLE, "--format", "json"],
        ["set", "two_step=on", "--format", "json"],
        ["history"],
        ["diff"],
        ["report", "--format", "html", "-o", str(tmp_path / "report.html")],
    ]
    for argv in steps:
        result = hooked(home, "cli", *argv)
        assert result.returncode == 0, f"{argv}: {result.stderr}"
        assert "NETWORK" not in result.stderr


def test_the_html_report_loads_nothing_from_outside(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = hooked(tmp_path / "home", "cli", "report", "--answers", EXAMPLE, "-o", str(target))
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    document = html5lib.parse(page)
    # Links to the sources are for the person to follow; nothing is fetched when the page opens.
    assert _active_content(document) == []
    assert "@import" not in page
    assert "url(" not in page.replace("url(data:", "")
    ns = "{http://www.w3.org/1999/xhtml}"
    policies = [
        m.get("content", "")
        for m in document.iter(f"{ns}meta")
        if m.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert policies, "the page states a Content-Security-Policy"
    assert "default-src 'none'" in policies[0]
