"""Injected faults: which apply to this invocation, and the process-level ones (hang, garbage, …)."""
import os
import random
import resource
import signal
import sys
import time

from . import output as o

PROCESS = ('hang', 'slow', 'crash_mid_output', 'garbage', 'non_utf8', 'huge_output')
SERVER = ('version_mismatch', 'api_unreachable')
CLOUD = ('credentials_disabled', 'no_capacity', 'quota', 'stuck_init', 'down_fails')
# SIGKILL the process that ran sky (VibeML), as a crash or `kill -9` would, at a chosen moment.
CALLER = ('kill_caller', 'kill_caller_midway', 'kill_caller_after')
KNOWN = PROCESS + SERVER + CLOUD + CALLER

API_URL = 'http://127.0.0.1:46580'

# What each command prints first, for `hang` (which never runs the command).
FIRST_LINES = {
    'status': 'Enabled Infra: nebius',
    'queue': 'Fetching and parsing job queue...',
    'launch': 'YAML to run: task.yaml',
    'exec': 'Submitting job to cluster: ...',
    'check': 'Checking credentials to enable infra for SkyPilot.',
    'api': 'SkyPilot client version: 0.10.3, commit: 3f6c8a1d0e9b4c7a5d2e1f0b9a8c7d6e5f4a3b2c',
    'logs': f'(setup pid=2841) Collecting torch==2.5.1 (from -r requirements.txt (line 1))',
    'jobs': 'Fetching managed job statuses...',
    'show-gpus': 'COMMON_GPU  AVAILABLE_QUANTITIES  ',
    'gpus': 'COMMON_GPU  AVAILABLE_QUANTITIES  ',
    'cost-report': 'Clusters (last 30 days)',
    'version': 'skypilot, version 0.10.3',
}


def _keys(path):
    keys = {path[0]}
    if len(path) > 1:
        for sep in (' ', '-', '.', '_'):
            keys.add(sep.join(path))
    return keys


def active(config, path, known_paths):
    """The fault names that apply to the command at `path` (a tuple such as ('jobs', 'launch'))."""
    result = set()
    keys = _keys(path)
    for entry in config['faults']:
        entry = str(entry).strip()
        if not entry:
            continue
        prefix, sep, name = entry.rpartition(':')
        if name not in KNOWN:
            raise SystemExit(f"fake sky: unknown fault {name!r} (known: {', '.join(KNOWN)})")
        if sep:
            valid = set()
            for p in known_paths:
                valid |= _keys(p)
            if prefix not in valid:
                raise SystemExit(f'fake sky: unknown command {prefix!r} in fault {entry!r}')
            if prefix not in keys:
                continue
        result.add(name)
    return result


def hang(path):
    line = FIRST_LINES.get(path[0], FIRST_LINES.get(' '.join(path), 'Working...'))
    o.OUT.raw((line + '\n').encode('utf-8'))
    while True:
        time.sleep(3600)


def garbage():
    rng = random.Random(os.getpid())
    pieces = []
    for _ in range(400):
        choice = rng.random()
        if choice < 0.3:
            pieces.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16))))
        elif choice < 0.5:
            pieces.append(rng.choice([b'\x1b[', b'\x1b[3', b'\x1b[0m', b'\x1b[1;3', b'\x1b]0;', b'\x1b[?25l']))
        elif choice < 0.6:
            pieces.append(rng.choice([b'\xff\xfe', b'\xc3(', b'\xe2\x82', b'\xf0\x9f\x8e', b'\xed\xa0\x80']))
        elif choice < 0.7:
            pieces.append(b'\r')
        elif choice < 0.8:
            pieces.append(b'\n')
        else:
            pieces.append(rng.choice([b'NAME', b'STATUS', b'UP', b'Job 1: ', b'@@VIBEML@@ {"ev', b'  ', b'|', b'\x00']))
    o.OUT.raw(b''.join(pieces) + b'\n')


def mangle_utf8(data):
    """Normal output with invalid UTF-8 at the end of the first line and of the last line."""
    lines = data.split(b'\n')
    bad = b' \xff\xfe\xc3('
    if lines:
        lines[0] = lines[0] + bad
        last = len(lines) - 1
        while last > 0 and not lines[last]:
            last -= 1
        if last > 0:
            lines[last] = lines[last] + b'\xe2\x82'
    return b'\n'.join(lines)


def huge_output(total=100 * 1024 * 1024):
    try:  # a bigger pipe lets a reader that polls (rather than blocks) keep up
        import fcntl
        fcntl.fcntl(sys.stdout.fileno(), getattr(fcntl, 'F_SETPIPE_SZ', 1031), 1024 * 1024)
    except (OSError, ValueError):
        pass
    line = b'(vibeml, pid=3012) {\'loss\': 1.2345, \'grad_norm\': 0.5, \'learning_rate\': 0.0002, \'epoch\': 0.5}\n'
    chunk = line * ((1024 * 1024) // len(line) + 1)
    written = 0
    while written < total:
        o.OUT.raw(chunk)
        written += len(chunk)


def crash(data):
    o.OUT.raw(data[:len(data) // 2])
    sys.stdout.flush()
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file in the test's folder
    except (ValueError, OSError):
        pass
    os.kill(os.getpid(), signal.SIGSEGV)
    os._exit(139)


def detach_output():
    """Send what is left of our output nowhere: the caller that would have read it is gone."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def kill_caller():
    """SIGKILL our parent, the process that started this `sky` (the real CLI would carry on server-side)."""
    parent = os.getppid()
    if parent > 1:
        os.kill(parent, signal.SIGKILL)
