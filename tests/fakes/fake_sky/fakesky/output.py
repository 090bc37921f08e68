"""Where the fake's output goes, and how the real CLI formats it.

Everything the commands print goes through OUT (stdout) or ERR (stderr) as UTF-8 bytes, so a
fault can capture stdout and corrupt or truncate it before it leaves the process.
"""
import io
import re
import sys
import time

# colorama's codes, as SkyPilot emits them.
RESET = '\x1b[0m'
BOLD = '\x1b[1m'
DIM = '\x1b[2m'
NORMAL = '\x1b[22m'
RED = '\x1b[31m'
GREEN = '\x1b[32m'
YELLOW = '\x1b[33m'
BLUE = '\x1b[34m'
CYAN = '\x1b[36m'
LIGHTBLACK = '\x1b[90m'
LIGHTYELLOW = '\x1b[93m'

_ANSI = re.compile(r'\x1b\[[0-9;]*m')

INDENT = '├── '
INDENT_LAST = '└── '


class Stream:
    """A byte sink over a real stream or a capture buffer."""

    def __init__(self, target):
        self._target = target
        self.capture = None

    def start_capture(self):
        self.capture = io.BytesIO()

    def take_capture(self):
        data = self.capture.getvalue() if self.capture is not None else b''
        self.capture = None
        return data

    def write(self, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        if self.capture is not None:
            self.capture.write(data)
            return
        self._target.write(data)

    def flush(self):
        if self.capture is None:
            self._target.flush()

    def raw(self, data):
        """Bypasses any capture (faults write their mangled bytes with this)."""
        self._target.write(data)
        self._target.flush()


OUT = Stream(sys.stdout.buffer)
ERR = Stream(sys.stderr.buffer)


def echo(text='', stream=None, flush=False):
    target = stream or OUT
    target.write(text + '\n')
    if flush:
        target.flush()


def error(text):
    ERR.write(text + '\n')
    ERR.flush()


def strip_ansi(text):
    return _ANSI.sub('', text)


def style(text, *codes, enabled=True):
    if not enabled or not codes:
        return text
    return ''.join(codes) + text + RESET


def table(headers, rows):
    """prettytable as SkyPilot configures it: border=False, align='l', padding 0 left / 2 right.

    Every column is as wide as its widest cell (ANSI codes do not count) plus two spaces; the last
    column is padded too, so lines end in spaces.
    """
    cells = [list(headers)] + [[str(c) for c in row] for row in rows]
    widths = [max(len(strip_ansi(r[i])) for r in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = []
        for i, cell in enumerate(row):
            parts.append(cell + ' ' * (widths[i] - len(strip_ansi(cell)) + 2))
        lines.append(''.join(parts))
    return lines


def framed_table(headers, rows):
    """The optimizer's table: hrules=FRAME, vrules=NONE, border=True (padding 0 / 2)."""
    cells = [list(headers)] + [[str(c) for c in row] for row in rows]
    widths = [max(len(strip_ansi(r[i])) for r in cells) for i in range(len(headers))]
    rule = '-' * (1 + sum(w + 3 for w in widths))
    lines = [rule]
    for index, row in enumerate(cells):
        parts = [' ']
        for i, cell in enumerate(row):
            parts.append(cell + ' ' * (widths[i] - len(strip_ansi(cell)) + 2) + ' ')
        lines.append(''.join(parts))
        if index == 0:
            lines.append(rule)
    lines.append(rule)
    return lines


def readable_ago(then, now=None):
    """pendulum's diff_for_humans, as `sky status` / `sky queue` show it."""
    if then is None:
        return '-'
    now = time.time() if now is None else now
    seconds = max(0, now - then)
    if seconds < 45:
        return 'a few secs ago'
    minutes = int(seconds // 60) or 1
    if minutes < 60:
        return f'{minutes} min ago' if minutes == 1 else f'{minutes} mins ago'
    hours = int(minutes // 60)
    if hours < 24:
        return f'{hours} hr ago' if hours == 1 else f'{hours} hrs ago'
    days = int(hours // 24)
    return f'{days} day ago' if days == 1 else f'{days} days ago'


def readable_duration(seconds):
    """log_utils.readable_time_duration(absolute=True): '1h 2m 23s', '< 1 second'."""
    if seconds is None:
        return '-'
    if seconds < 1:
        return '< 1 second'
    total = int(seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f'{days}d')
    if hours:
        parts.append(f'{hours}h')
    if minutes:
        parts.append(f'{minutes}m')
    if secs or not parts:
        parts.append(f'{secs}s')
    return ' '.join(parts)


def iso(timestamp):
    if timestamp is None:
        return None
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(timestamp))


def log_dir_name(timestamp):
    micros = int((timestamp % 1) * 1_000_000)
    return time.strftime('sky-%Y-%m-%d-%H-%M-%S', time.localtime(timestamp)) + f'-{micros:06d}'
