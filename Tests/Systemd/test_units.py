"""The systemd units, sysusers/tmpfiles snippets and `make install`, checked with the host's
systemd tools (Debian 12: systemd 252).

    python3 -m pytest -q Tests/Systemd

`systemd-analyze verify` insists that ExecStart= names an executable that exists, and checks
Documentation=man: pages with man(1). The units name /usr/local/bin/cutoverd, which a build
host does not have, so the tests verify copies whose ExecStart= points at a stand-in
executable (everything else byte for byte), and pass --man=no; the man page is checked on its
own with man(1).
"""

import os
import re
import shutil
import stat
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SYSTEMD = os.path.join(ROOT, "systemd")
UNITS = ("cutoverd.service", "cutoverd.socket")

# `systemd-analyze security` scores 0 (locked down) to 10 (exposed); under 2.0 it says "OK".
# cutoverd.service scored 1.4 with systemd 252. What stays exposed is deliberate: the network
# (AWS), AF_UNIX (its socket, NSS), the host's root and user database (peer uid -> name), the
# process tree (peers' /proc/PID/loginuid), no IP allow list (AWS has no fixed addresses).
EXPOSURE_LIMIT = 2.0
RECORDED_EXPOSURE = 1.4

pytestmark = pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")


def run(*args, **kwargs):
    return subprocess.run(list(args), capture_output=True, text=True, **kwargs)


@pytest.fixture
def staged_units(tmp_path):
    """The units in a temporary directory, ExecStart= pointing at a stand-in cutoverd."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "cutoverd"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    for unit in UNITS:
        text = open(os.path.join(SYSTEMD, unit)).read()
        (tmp_path / unit).write_text(text.replace("/usr/local/bin/cutoverd", str(fake)))
    return tmp_path


def test_units_verify_cleanly(staged_units):
    result = run("systemd-analyze", "verify", "--man=no", *(str(staged_units / u) for u in UNITS))
    assert result.returncode == 0, result.stdout + result.stderr
    # verify reports some problems (an unknown key, a bad value) as warnings with exit 0.
    assert result.stderr.strip() == "", result.stderr


def test_only_the_exec_path_differs_from_the_shipped_units(staged_units):
    for unit in UNITS:
        shipped = open(os.path.join(SYSTEMD, unit)).read().splitlines()
        staged = (staged_units / unit).read_text().splitlines()
        changed = [(a, b) for a, b in zip(shipped, staged) if a != b]
        assert all("/usr/local/bin/cutoverd" in a for a, _ in changed), changed


def test_service_exposure_stays_ok(staged_units):
    result = run("systemd-analyze", "security", "--offline=yes", "--no-pager", str(staged_units / "cutoverd.service"))
    output = result.stdout + result.stderr
    match = re.search(r"Overall exposure level for cutoverd\.service: ([0-9.]+) (\w+)", output)
    assert match, output
    score = float(match.group(1))
    print("systemd-analyze security: %s %s" % (score, match.group(2)), file=sys.stderr)
    assert score < EXPOSURE_LIMIT, output
    assert match.group(2) == "OK"
    # A lower score is welcome (update RECORDED_EXPOSURE); a higher one needs a reason.
    assert score <= RECORDED_EXPOSURE, "exposure rose from %s to %s:\n%s" % (RECORDED_EXPOSURE, score, output)


def unit_settings(path):
    settings = {}
    for line in open(path):
        line = line.strip()
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_service_keeps_what_peer_identity_needs():
    settings = unit_settings(os.path.join(SYSTEMD, "cutoverd.service"))
    # PrivateUsers= would map every peer uid to nobody; ProtectProc=invisible would hide the
    # peers' /proc/PID/loginuid. Either would make approvals anonymous.
    assert "PrivateUsers" not in settings
    assert settings.get("ProtectProc") == ["default"]
    assert settings["Type"] == ["notify"] and settings["NotifyAccess"] == ["main"]
    assert settings["RuntimeDirectoryPreserve"] == ["yes"]
    assert settings["CapabilityBoundingSet"] == [""]
    assert settings["User"] == ["cutover"]


def test_optional_credentials_have_defaults():
    """systemd 252 fails the start when a LoadCredential= file is missing, unless SetCredential=
    gives the same ID a default."""
    settings = unit_settings(os.path.join(SYSTEMD, "cutoverd.service"))
    loaded = {value.split(":", 1)[0] for value in settings.get("LoadCredential", [])}
    defaulted = {value.split(":", 1)[0] for value in settings.get("SetCredential", [])}
    assert loaded == {"aws", "audit-key"}
    assert loaded <= defaulted


def test_socket_is_group_accessible():
    settings = unit_settings(os.path.join(SYSTEMD, "cutoverd.socket"))
    assert settings["ListenStream"] == ["/run/cutover/cutoverd.sock"]
    assert settings["SocketGroup"] == ["cutover-approvers"]
    assert settings["SocketMode"] == ["0660"]


def test_sysusers_and_tmpfiles_parse(tmp_path):
    if shutil.which("systemd-sysusers") is None:
        pytest.skip("systemd-sysusers is not installed")
    result = run("systemd-sysusers", "--cat-config", "--no-pager", os.path.join(SYSTEMD, "sysusers.d", "cutover.conf"))
    assert result.returncode == 0, result.stderr
    # Create the user and groups in a scratch root: proves the file is valid and complete.
    (tmp_path / "etc").mkdir()
    result = run("systemd-sysusers", "--root", str(tmp_path), os.path.join(SYSTEMD, "sysusers.d", "cutover.conf"))
    assert result.returncode == 0, result.stderr
    groups = (tmp_path / "etc" / "group").read_text()
    for group in ("cutover", "cutover-approvers", "cutover-operators"):
        assert re.search(r"^%s:" % re.escape(group), groups, re.M), groups
    assert re.search(r"^cutover:", (tmp_path / "etc" / "passwd").read_text(), re.M)
    result = run("systemd-tmpfiles", "--root", str(tmp_path), "--create", os.path.join(SYSTEMD, "tmpfiles.d", "cutover.conf"))
    assert result.returncode == 0, result.stderr
    credentials = tmp_path / "etc" / "cutover" / "credentials"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o700


def test_man_page_renders():
    if shutil.which("man") is None:
        pytest.skip("man is not installed")
    page = os.path.join(ROOT, "docs", "man", "cutoverctl.1")
    result = run("man", "--warnings", "-l", page, env=dict(os.environ, MANWIDTH="80"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    text = re.sub(".\x08", "", result.stdout)  # bold and underline by overstriking
    assert "cutoverctl audit verify" in text
    assert "EXIT STATUS" in text


def built_cutoverctl():
    candidates = [os.environ.get("CUTOVER_BIN_DIR", "")]
    candidates += [os.path.join(ROOT, d) for d in (".build/release", ".build/debug", ".build-ctl/debug")]
    for directory in candidates:
        path = os.path.join(directory, "cutoverctl")
        if directory and os.access(path, os.X_OK):
            return path
    return None


EXPECTED_INSTALL = {
    "usr/local/bin/cutoverd",
    "usr/local/bin/cutoverctl",
    "usr/local/lib/systemd/system/cutoverd.service",
    "usr/local/lib/systemd/system/cutoverd.socket",
    "etc/sysusers.d/cutover.conf",
    "etc/tmpfiles.d/cutover.conf",
    "etc/cutover/cutoverd.yaml",
    "usr/local/share/man/man1/cutoverctl.1",
    "usr/local/share/doc/cutover/CUTOVERCTL.md",
    "usr/local/share/bash-completion/completions/cutoverctl",
    "usr/local/share/zsh/site-functions/_cutoverctl",
    "usr/local/share/fish/vendor_completions.d/cutoverctl.fish",
}


@pytest.fixture
def build_dir(tmp_path):
    """Binaries for `make install`: the built cutoverctl (completions come from it) and a
    stand-in cutoverd (install only copies it)."""
    directory = tmp_path / "build"
    directory.mkdir()
    cutoverctl = built_cutoverctl()
    if cutoverctl is None:
        pytest.skip("cutoverctl is not built (swift build --product cutoverctl)")
    shutil.copy(cutoverctl, directory / "cutoverctl")
    (directory / "cutoverd").write_text("#!/bin/sh\nexit 0\n")
    (directory / "cutoverd").chmod(0o755)
    return directory


def installed_files(root):
    found = set()
    for directory, _, files in os.walk(root):
        for name in files:
            found.add(os.path.relpath(os.path.join(directory, name), root))
    return found


def test_make_install_puts_every_file_in_place(tmp_path, build_dir):
    dest = tmp_path / "dest"
    result = run("make", "-C", ROOT, "install", "DESTDIR=%s" % dest, "BUILD_DIR=%s" % build_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert installed_files(dest) == EXPECTED_INSTALL
    service = (dest / "usr/local/lib/systemd/system/cutoverd.service").read_text()
    assert "ExecStart=/usr/local/bin/cutoverd --config /etc/cutover/cutoverd.yaml" in service
    assert "-F _cutoverctl cutoverctl" in (dest / "usr/local/share/bash-completion/completions/cutoverctl").read_text()
    assert stat.S_IMODE((dest / "usr/local/bin/cutoverctl").stat().st_mode) == 0o755


def test_make_install_keeps_an_edited_configuration(tmp_path, build_dir):
    dest = tmp_path / "dest"
    config = dest / "etc" / "cutover" / "cutoverd.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("logLevel: debug\n")
    result = run("make", "-C", ROOT, "install", "DESTDIR=%s" % dest, "BUILD_DIR=%s" % build_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert config.read_text() == "logLevel: debug\n"


def test_make_install_for_usr_uses_the_vendor_directories(tmp_path, build_dir):
    dest = tmp_path / "dest"
    result = run("make", "-C", ROOT, "install", "PREFIX=/usr", "DESTDIR=%s" % dest, "BUILD_DIR=%s" % build_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    files = installed_files(dest)
    assert "usr/lib/systemd/system/cutoverd.service" in files
    assert "usr/lib/sysusers.d/cutover.conf" in files
    assert "usr/lib/tmpfiles.d/cutover.conf" in files
    service = (dest / "usr/lib/systemd/system/cutoverd.service").read_text()
    assert "ExecStart=/usr/bin/cutoverd --config /etc/cutover/cutoverd.yaml" in service


def test_make_uninstall_removes_what_install_added(tmp_path, build_dir):
    dest = tmp_path / "dest"
    assert run("make", "-C", ROOT, "install", "DESTDIR=%s" % dest, "BUILD_DIR=%s" % build_dir).returncode == 0
    result = run("make", "-C", ROOT, "uninstall", "DESTDIR=%s" % dest)
    assert result.returncode == 0, result.stdout + result.stderr
    # The configuration is the administrator's (and the state is the audit record): kept.
    assert installed_files(dest) == {"etc/cutover/cutoverd.yaml"}


def test_make_install_refuses_without_binaries(tmp_path):
    result = run("make", "-C", ROOT, "install", "DESTDIR=%s" % (tmp_path / "dest"), "BUILD_DIR=%s" % (tmp_path / "none"))
    assert result.returncode != 0
    assert "make build" in result.stderr
