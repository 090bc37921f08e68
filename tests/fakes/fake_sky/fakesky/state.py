"""State kept between invocations, and the time-driven lifecycle evaluated from it.

state.json holds clusters (with their jobs), managed jobs, terminated-cluster history and a few
flags. Every change happens under an exclusive flock on state.lock and is written atomically
(temporary file + os.replace), so concurrent `sky` processes never see half a file. Nothing runs
in the background: statuses are computed from stored timestamps each time they are read.
"""
import contextlib
import fcntl
import json
import os
import tempfile
import time

DEFAULT_CONFIG = {
    'provision_seconds': 0.3,
    'job_seconds': 1.0,
    'job_outcome': 'SUCCEEDED',   # or FAILED / CANCELLED, or {"cluster-name": outcome, "*": default}
    'log_lines': 40,
    'log_delay': 0.02,
    'follow_poll_seconds': 0.05,  # how often a following `logs` re-reads the state for new lines
    'faults': [],
    'slow_seconds': 2.0,
    'color': False,
    'json_output': False,
    'gpus_list': True,            # the CLI has `sky gpus list` (and `sky show-gpus` warns)
    'version': '0.10.3',
    'commit': '3f6c8a1d0e9b4c7a5d2e1f0b9a8c7d6e5f4a3b2c',
    'server_version': '0.9.3',    # what version_mismatch reports for the server
    'user': 'vibeml',
    'user_id': '4f3a9c2e',
    'minute_seconds': 60.0,       # how long an autostop "minute" lasts
    'managed_recoveries': 0,
    'banner': True,               # the first call prints "✓ SkyPilot API server started." on stderr
}

CLUSTER_STATUSES = ('INIT', 'UP', 'STOPPED')
TERMINAL_JOB = ('SUCCEEDED', 'FAILED', 'FAILED_SETUP', 'FAILED_DRIVER', 'CANCELLED')
TERMINAL_MANAGED = ('SUCCEEDED', 'FAILED', 'FAILED_SETUP', 'FAILED_PRECHECKS', 'FAILED_NO_RESOURCE',
                    'FAILED_CONTROLLER', 'CANCELLED')

SETUP_FRACTION = 0.2     # of job_seconds spent in SETTING_UP
CANCELLED_FRACTION = 0.6  # where a job configured to end CANCELLED stops


def load_config(state_dir):
    config = dict(DEFAULT_CONFIG)
    path = os.path.join(state_dir, 'config.json')
    try:
        with open(path, 'r', encoding='utf-8') as f:
            loaded = json.load(f)
        if isinstance(loaded, dict):
            config.update(loaded)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as e:
        raise SystemExit(f'fake sky: cannot read {path}: {e}')
    faults = config.get('faults') or []
    if isinstance(faults, str):
        faults = [faults]
    env = os.environ.get('FAKE_SKY_FAULTS', '')
    faults = list(faults) + [f.strip() for f in env.split(',') if f.strip()]
    config['faults'] = faults
    if os.environ.get('FAKE_SKY_COLOR') == '1':
        config['color'] = True
    return config


def empty_state():
    return {
        'clusters': {},
        'history': [],
        'managed_jobs': [],
        'next_managed_id': 1,
        'api_server_started': False,
    }


class Store:
    def __init__(self, state_dir):
        self.dir = state_dir
        self.path = os.path.join(state_dir, 'state.json')
        self.lock_path = os.path.join(state_dir, 'state.lock')

    def _read(self):
        try:
            with open(self.path, 'r', encoding='utf-8') as f:
                data = json.load(f)
        except FileNotFoundError:
            return empty_state()
        base = empty_state()
        base.update(data)
        return base

    def _write(self, state):
        fd, tmp = tempfile.mkstemp(prefix='.state-', suffix='.tmp', dir=self.dir)
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                json.dump(state, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def transaction(self):
        """Exclusive access; the state is saved when the block ends without an exception."""
        with open(self.lock_path, 'a+') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                state = self._read()
                before = json.dumps(state, sort_keys=True)
                yield state
                if json.dumps(state, sort_keys=True) != before:
                    self._write(state)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def snapshot(self):
        with open(self.lock_path, 'a+') as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)
            try:
                return self._read()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def log_invocation(state_dir, argv):
    line = (json.dumps(argv) + '\n').encode('utf-8')
    fd = os.open(os.path.join(state_dir, 'invocations.log'), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


# ---- clusters -------------------------------------------------------------------------------

def cluster_up_at(cluster):
    """When the cluster is (or will be) UP; None while it is stuck or stopped."""
    if cluster.get('stuck') or cluster.get('stopped_at') is not None:
        return None
    return cluster['started_at'] + cluster['provision_seconds']


def idle_since(cluster, now):
    up = cluster_up_at(cluster)
    if up is None:
        return None
    latest = max(up, cluster.get('autostop_set_at') or 0)
    for job in cluster['jobs']:
        timeline = job_timeline(cluster, job)
        if timeline['end'] is None or timeline['end'] > now:
            return None  # a job is still waiting or running: not idle
        latest = max(latest, timeline['end'], job['submitted_at'])
    return latest


def autostop_due(cluster, now, config):
    """When autostop stopped (or will stop) the cluster; None when it does not apply."""
    minutes = cluster.get('autostop', -1)
    if minutes is None or minutes < 0:
        return None
    since = idle_since(cluster, now)
    if since is None:
        return None
    return since + minutes * float(config['minute_seconds'])


def settle_autostop(cluster, now, config):
    """Makes an autostop that has come due real (the cluster is then STOPPED)."""
    due = autostop_due(cluster, now, config)
    if due is not None and due <= now and cluster.get('stopped_at') is None:
        stop_cluster(cluster, due)
        return True
    return False


def stop_cluster(cluster, when):
    for job in cluster['jobs']:
        timeline = job_timeline(cluster, job)
        if timeline['end'] is None or timeline['end'] > when:
            job['killed_at'] = when
    cluster['stopped_at'] = when
    cluster['uptime'] = cluster.get('uptime', 0.0) + max(0.0, when - cluster['started_at'])


def cluster_status(cluster, now):
    if cluster.get('stopped_at') is not None:
        return 'STOPPED'
    up = cluster_up_at(cluster)
    if up is None or now < up:
        return 'INIT'
    return 'UP'


# ---- cluster jobs ---------------------------------------------------------------------------

def job_timeline(cluster, job):
    """start: when SETTING_UP begins; end: when it reaches its final status (None: never).

    A job waits for the cluster to be UP (the UP time the cluster had when the job was submitted)
    and for the job before it: each job asks for all of the cluster's GPUs, so they run in turn.
    """
    index = cluster['jobs'].index(job)
    up = job.get('cluster_up_at')
    start = None
    if up is not None:
        start = max(job['submitted_at'], up)
        if index > 0:
            previous = job_timeline(cluster, cluster['jobs'][index - 1])
            start = None if previous['end'] is None else max(start, previous['end'])
    final = job['outcome']
    end = None
    if start is not None:
        span = job['job_seconds']
        end = start + span * (CANCELLED_FRACTION if final == 'CANCELLED' else 1.0)
    for key, status in (('cancelled_at', 'CANCELLED'), ('killed_at', 'FAILED_DRIVER')):
        when = job.get(key)
        if when is not None and (end is None or when < end):
            end, final = when, status
    return {'start': start, 'end': end, 'final': final}


def job_status(cluster, job, now):
    timeline = job_timeline(cluster, job)
    if timeline['end'] is not None and now >= timeline['end']:
        return timeline['final']
    start = timeline['start']
    if start is None or now < start:
        return 'PENDING'
    if now < start + job['job_seconds'] * SETUP_FRACTION:
        return 'SETTING_UP'
    return 'RUNNING'


def job_exit_code(status):
    if status is None:
        return 102
    if status == 'SUCCEEDED':
        return 0
    if status == 'CANCELLED':
        return 103
    if status in TERMINAL_JOB:
        return 100
    return 101


def find_job(cluster, job_id):
    for job in cluster['jobs']:
        if job['id'] == job_id:
            return job
    return None


def outcome_for(config, name):
    outcome = config.get('job_outcome', 'SUCCEEDED')
    if isinstance(outcome, dict):
        outcome = outcome.get(name, outcome.get('*', 'SUCCEEDED'))
    outcome = str(outcome).upper()
    if outcome not in ('SUCCEEDED', 'FAILED', 'CANCELLED'):
        raise SystemExit(f"fake sky: job_outcome must be SUCCEEDED, FAILED or CANCELLED, not {outcome!r}")
    return outcome


# ---- managed jobs ---------------------------------------------------------------------------

def managed_timeline(job):
    """Phases of a managed job: PENDING, STARTING (provisioning), RUNNING (with RECOVERING gaps)."""
    submitted = job['submitted_at']
    span = job['job_seconds']
    pending_end = submitted + 0.1 * span
    starting_end = pending_end + job['provision_seconds']
    recoveries = job.get('recoveries', 0)
    recover_gap = 0.1 * span
    run_end = starting_end + span + recoveries * recover_gap
    final = job['outcome']
    if final == 'FAILED_NO_RESOURCE':
        end = starting_end
    elif final == 'CANCELLED':
        end = starting_end + span * CANCELLED_FRACTION
    else:
        end = run_end
    cancelled = job.get('cancelled_at')
    if cancelled is not None and cancelled < end:
        end, final = cancelled, 'CANCELLED'
    return {'pending_end': pending_end, 'start': starting_end, 'end': end, 'final': final,
            'recover_gap': recover_gap, 'recoveries': recoveries, 'run_span': run_end - starting_end}


def managed_status(job, now):
    t = managed_timeline(job)
    if now >= t['end']:
        return t['final']
    if now < t['pending_end']:
        return 'PENDING'
    if now < t['start']:
        return 'STARTING'
    # Recoveries happen evenly through the run.
    if t['recoveries']:
        run = job['job_seconds']
        elapsed = now - t['start']
        segment = run / (t['recoveries'] + 1)
        for k in range(1, t['recoveries'] + 1):
            gap_start = k * segment + (k - 1) * t['recover_gap']
            if gap_start <= elapsed < gap_start + t['recover_gap']:
                return 'RECOVERING'
    return 'RUNNING'


def managed_recoveries_so_far(job, now):
    t = managed_timeline(job)
    if not t['recoveries'] or now < t['start']:
        return 0
    segment = job['job_seconds'] / (t['recoveries'] + 1)
    elapsed = min(now, t['end']) - t['start']
    done = 0
    for k in range(1, t['recoveries'] + 1):
        if elapsed >= k * segment + (k - 1) * t['recover_gap']:
            done = k
    return done


def managed_exit_code(status):
    if status is None:
        return 102
    if status == 'SUCCEEDED':
        return 0
    if status == 'CANCELLED':
        return 103
    if status in TERMINAL_MANAGED:
        return 100
    return 101


def now():
    return time.time()
