"""CPU time of a server process and all its descendants (uvicorn workers), read from /proc."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    return raw[raw.rindex(")") + 2 :].split()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """utime + stime of `root` and its live descendants (fields 14 and 15 of /proc/<pid>/stat)."""
    total = 0
    for pid in _descendants(root):
        if (fields := _stat(pid)) is not None:
            total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def rss_bytes(root: int) -> int:
    """Resident memory of `root` and its live descendants (VmRSS of /proc/<pid>/status)."""
    total = 0
    for pid in _descendants(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total
