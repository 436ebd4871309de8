"""CI is strict: a test whose prerequisite is missing fails there and skips elsewhere."""

from __future__ import annotations

import pytest

from tests.ci import in_ci, missing


@pytest.mark.parametrize("value", ["true", "1", "yes", "TRUE"])
def test_a_missing_prerequisite_fails_in_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match=r"chromium is missing in CI.*apt-get install"):
        missing("chromium", "apt-get install -y chromium")


@pytest.mark.parametrize("value", [None, "", "false", "0", "no"])
def test_a_missing_prerequisite_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match=r"chromium is missing.*CI runs this test"):
        missing("chromium", "apt-get install -y chromium")
