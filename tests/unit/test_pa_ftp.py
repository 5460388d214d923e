"""Mirroring PA's FTP folder (no socket: a fake FTP session holding files): `.timestamp` first, the
listing only when it changed, each new file copied whole, and a dropped connection opened again."""

from __future__ import annotations

from collections.abc import Callable

from bot.pa_ftp import FtpMirror


class FakeFtp:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.listings = 0
        self.fail_next = False

    def retrbinary(self, cmd: str, callback: Callable[[bytes], object]) -> str:
        if self.fail_next:
            self.fail_next = False
            raise EOFError
        callback(self.files[cmd.removeprefix("RETR ")])
        return "226 Transfer complete"

    def nlst(self, *args: str) -> list[str]:
        self.listings += 1
        return sorted(self.files)

    def quit(self) -> str:
        return "221 Bye"


def test_new_files_are_copied_once_and_the_listing_read_only_when_the_timestamp_changes(tmp_path):
    server = FakeFtp({".timestamp": b"100", "General_Election_result_Hartlepool_1.xml": b"<a/>", "readme.txt": b"x"})
    opened: list[FakeFtp] = []

    def open_session() -> FakeFtp:
        opened.append(server)
        return server

    mirror = FtpMirror(open_session, tmp_path)
    assert mirror.mirror() == 1
    assert (tmp_path / "General_Election_result_Hartlepool_1.xml").read_bytes() == b"<a/>"
    assert (tmp_path / ".timestamp").read_bytes() == b"100"
    assert not (tmp_path / "readme.txt").exists()
    assert mirror.mirror() == 0 and server.listings == 1  # same stamp: not even listed

    server.files["General_Election_result_Hartlepool_2.xml"] = b"<b/>"
    server.files[".timestamp"] = b"120"
    assert mirror.mirror() == 1
    assert (tmp_path / "General_Election_result_Hartlepool_2.xml").read_bytes() == b"<b/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".timestamp",
        "General_Election_result_Hartlepool_1.xml",
        "General_Election_result_Hartlepool_2.xml",
    ]  # no partial copies left behind
    assert len(opened) == 1


def test_a_dropped_connection_is_opened_again_at_the_next_look(tmp_path):
    server = FakeFtp({".timestamp": b"100", "General_Election_result_Hartlepool_1.xml": b"<a/>"})
    opened: list[FakeFtp] = []
    mirror = FtpMirror(lambda: opened.append(server) or server, tmp_path)
    server.fail_next = True
    assert mirror.mirror() == 0
    assert mirror.mirror() == 1
    assert len(opened) == 2
