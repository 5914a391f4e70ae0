"""What a command prints, as a user sees it: on a pseudo-terminal or through a pipe.

`output(command, terminal=...)` runs `command` (its stdout and stderr) to a fresh pty, read while
it runs so that no output fills the pty's buffer, or to a pipe; colour switches in the
environment (`NO_COLOR`, `FORCE_COLOR`, `PY_COLORS`) are removed, so the program decides from the
terminal alone. `contract_table(stdout, summary)` is the operations × checks table at the end of a
`segue contract` output, checked against the one `summary.md` holds.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from segue.paths import PROJECT_ROOT

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR_SWITCHES = ("NO_COLOR", "FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE")


def output(
    command: list[str],
    *,
    terminal: bool,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    cwd: Path = PROJECT_ROOT,
) -> str:
    """`command`'s stdout and stderr as text (a pty's CRLF read as LF); it must exit 0 or 1."""
    environment = {**os.environ, **(env or {})}
    for name in COLOUR_SWITCHES:
        environment.pop(name, None)
    if not terminal:
        process = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=environment, cwd=cwd
        )
        assert process.returncode in (0, 1), process.stdout[-3000:] + process.stderr[-3000:]
        return process.stdout + process.stderr
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            command, stdout=follower, stderr=follower, env=environment, cwd=cwd
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the program exited and everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert code in (0, 1), text[-3000:]
    return text


def contract_table(stdout: str, summary: str) -> list[str]:
    """The table's lines at the end of `stdout`, colours kept, header first, after asserting
    that they are `summary.md`'s "Operations × checks" table under its title line, followed
    only by pytest's count line."""
    _, _, rest = summary.partition("## Operations × checks")
    markdown = rest.split("\n## ", 1)[0].strip().splitlines()
    rows = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in markdown]
    rows = [rows[0], *rows[2:]]  # without the |---| line
    lines = stdout.rstrip("\n").splitlines()
    plain = [ANSI.sub("", line) for line in lines]
    title, *table, count = plain[-len(rows) - 2 :]
    assert "segue contract: operations × checks" in title, plain[-len(rows) - 3 :]
    assert [re.split(r"\s{2,}", line.strip()) for line in table] == rows, (table, rows)
    assert re.search(r"\d+ (passed|failed)", count), count  # pytest's count line
    return lines[-len(rows) - 1 : -1]
