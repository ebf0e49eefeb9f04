"""The hashed lock files are what CI, the Makefile's virtualenv and the image install: they must
say what requirements*.txt say, or a pin changed there would never be installed (`make lock`)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(filename: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / filename).read_text().splitlines():
        if line.startswith("-r "):
            pins |= _pins(line.split(maxsplit=1)[1])
        elif match := PIN.match(line):
            pins[_name(match[1])] = match[2]
    return pins


def _locked(filename: str) -> dict[str, str]:
    text = (ROOT / filename).read_text()
    locked = {}
    for block in re.split(r"\n(?=\S)", text):
        if match := PIN.match(block):
            assert "--hash=sha256:" in block, f"{match[1]} has no hash in {filename}"
            locked[_name(match[1])] = match[2]
    return locked


def test_the_locks_pin_what_the_requirements_pin():
    for requirements, lock in (
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ):
        locked = _locked(lock)
        stale = {
            name: (version, locked.get(name))
            for name, version in _pins(requirements).items()
            if locked.get(name) != version
        }
        assert not stale, f"{lock} is out of date with {requirements} (run `make lock`): {stale}"


def test_tests_run_the_versions_production_runs():
    runtime, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert runtime, "requirements.lock pins nothing"
    differ = {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version}
    assert not differ, f"requirements-dev.lock differs from requirements.lock (run `make lock`): {differ}"
