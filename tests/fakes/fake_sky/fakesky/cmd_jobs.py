"""sky queue / logs / cancel and the managed-job commands (sky jobs launch|queue|logs|cancel)."""
import json
import time

from . import catalog
from . import joblog
from . import output as o
from . import state as s
from . import task as t
from .errors import SkyError, UsageError, cluster_does_not_exist, cluster_not_up

JOB_COLOURS = {'INIT': o.BLUE, 'PENDING': o.BLUE, 'SETTING_UP': o.BLUE, 'RUNNING': o.GREEN, 'SUCCEEDED': o.GREEN,
               'FAILED': o.RED, 'FAILED_SETUP': o.RED, 'FAILED_DRIVER': o.RED, 'CANCELLED': o.YELLOW,
               'STARTING': o.BLUE, 'RECOVERING': o.CYAN, 'CANCELLING': o.YELLOW, 'FAILED_NO_RESOURCE': o.RED,
               'FAILED_PRECHECKS': o.RED, 'FAILED_CONTROLLER': o.RED}


# ---- cluster job logs -----------------------------------------------------------------------

def _available(job, timeline, now, final_override=None):
    start = timeline['start']
    if start is None:
        return []
    span = job['job_seconds']
    end_fraction = 1.0
    if timeline['end'] is not None:
        end_fraction = (timeline['end'] - start) / span
    final = final_override or timeline['final']
    every = joblog.lines(job, start, end_fraction, final)
    # A prefix of the log, in its order: a line is printed once every line before it is due (a
    # filter would let a later line slip ahead and shift what a follower has already printed).
    shown = []
    for fraction, text in every:
        if start + fraction * span > now:
            break
        shown.append(text)
    return shown


def _emit(text, delay):
    o.OUT.write(text + '\n')
    o.OUT.flush()
    if delay:
        time.sleep(delay)


def follow_job(ctx, cluster_name, job_id, follow, tail):
    """Streams a cluster job's log; returns the `sky logs` exit code for its status."""
    delay = float(ctx.config['log_delay'])
    printed = 0
    first = True
    while True:
        snapshot = ctx.store.snapshot()
        now = s.now()
        cluster = snapshot['clusters'].get(cluster_name)
        if cluster is None:
            raise cluster_does_not_exist(cluster_name)
        job = s.find_job(cluster, job_id)
        timeline = s.job_timeline(cluster, job)
        status = s.job_status(cluster, job, now)
        terminal = status in s.TERMINAL_JOB
        lines = _available(job, timeline, now)
        if first and tail and tail > 0:
            printed = max(0, len(lines) - tail)
        first = False
        for text in lines[printed:]:
            _emit(text, delay if (follow and not terminal) else 0)
        printed = max(printed, len(lines))
        if terminal or not follow:
            break
        time.sleep(float(ctx.config.get('follow_poll_seconds', 0.05)))
    if terminal:
        o.echo(joblog.finished_line(status), flush=True)
    return s.job_exit_code(status)


def _cluster_for_jobs(snapshot, name, now, config):
    cluster = snapshot['clusters'].get(name)
    if cluster is None:
        raise cluster_does_not_exist(name)
    due = s.autostop_due(cluster, now, config)
    state = 'STOPPED' if due is not None and due <= now else s.cluster_status(cluster, now)
    if state == 'STOPPED':
        raise cluster_not_up(name, state)
    return cluster


def logs(ctx, v):
    name = v['cluster']
    job_ids = v['job_ids']
    if len(job_ids) > 1 and not v.get('sync_down'):
        raise UsageError('Cannot stream logs of multiple jobs at once.')
    snapshot = ctx.store.snapshot()
    now = s.now()
    cluster = _cluster_for_jobs(snapshot, name, now, ctx.config)
    job_id = job_ids[0] if job_ids else (cluster['jobs'][-1]['id'] if cluster['jobs'] else None)
    if v.get('status'):
        if job_id is None:
            o.echo(ctx.paint(f'No job found on cluster {name!r}.', o.RED))
            return 102
        job = s.find_job(cluster, job_id)
        if job is None:
            o.echo(f'Job {job_id}: None')
            o.echo(ctx.paint(f'Job {job_id} not found', o.RED))
            return 102
        state = s.job_status(cluster, job, now)
        o.echo(f'Job {job_id}: {state}')
        return s.job_exit_code(state)
    if not job_ids:
        o.echo(f'Tailing logs of the last job on cluster {name!r}...', flush=True)
    if job_id is None:
        o.echo('Skip streaming logs as no job has been submitted.')
        return 102
    if s.find_job(cluster, job_id) is None:
        o.echo(f'{o.RED}Job {job_id} not found (see `sky queue`).{o.RESET}')
        return 102
    return follow_job(ctx, name, job_id, follow=v.get('follow', True), tail=v.get('tail') or 0)


# ---- queue ----------------------------------------------------------------------------------

def _queue_rows(ctx, cluster, now, skip_finished):
    rows, records = [], []
    for job in reversed(cluster['jobs']):
        timeline = s.job_timeline(cluster, job)
        state = s.job_status(cluster, job, now)
        if skip_finished and state in s.TERMINAL_JOB:
            continue
        started = timeline['start'] if timeline['start'] is not None and timeline['start'] <= now else None
        ended = timeline['end'] if timeline['end'] is not None and timeline['end'] <= now else None
        duration = None if started is None else (ended or now) - started
        rows.append([str(job['id']), job['name'], job['user'], o.readable_ago(job['submitted_at'], now),
                     o.readable_ago(started, now) if started else '-', o.readable_duration(duration),
                     job['resources'], ctx.paint(state, JOB_COLOURS[state]), job['log_dir'], '-'])
        records.append({'job_id': job['id'], 'job_name': job['name'], 'username': job['user'],
                        'submitted_at': o.iso(job['submitted_at']), 'started_at': o.iso(started),
                        'ended_at': o.iso(ended), 'status': state, 'resources': job['resources'],
                        'log_path': job['log_dir'] + '/run.log', 'git_commit': None})
    return rows, records


def queue(ctx, v):
    names = v['clusters']
    as_json = v.get('output') == 'json'
    snapshot = ctx.store.snapshot()
    now = s.now()
    if not names:
        names = [n for n, c in sorted(snapshot['clusters'].items(), key=lambda kv: kv[1]['launched_at'])
                 if s.cluster_status(c, now) != 'STOPPED']
    if not as_json:
        o.echo('Fetching and parsing job queue...', flush=True)
    results, failures = [], []
    for name in names:
        try:
            cluster = _cluster_for_jobs(snapshot, name, now, ctx.config)
        except SkyError as e:
            failures.append((name, e))
            continue
        rows, records = _queue_rows(ctx, cluster, now, v.get('skip_finished'))
        results.append((name, rows, records))
    if as_json:
        documents = [{'cluster': name, 'jobs': records} for name, _, records in results]
        documents += [{'cluster': name, 'error': e.message} for name, e in failures]
        data = documents[0] if len(v['clusters']) == 1 and documents else documents
        o.echo(json.dumps(data, indent=2))
        return 0
    headers = ['ID', 'NAME', 'USER', 'SUBMITTED', 'STARTED', 'DURATION', 'RESOURCES', 'STATUS', 'LOG', 'GIT COMMIT']
    for name, rows, _ in results:
        who = 'all users' if v.get('all_users') else 'current user'
        o.echo(f'\nJob queue of {who} on cluster {name}')
        for line in o.table(headers, rows):
            o.echo(line)
    for name, e in failures:
        o.echo(ctx.paint(f'Failed to get the job queue for cluster {name!r}.', o.RED))
        o.echo(f"  {e.kind.split('.')[-1]}: {e.message}")
    return 0


# ---- cancel ---------------------------------------------------------------------------------

def cancel(ctx, v):
    name = v['cluster']
    with ctx.store.transaction() as st:
        now = s.now()
        cluster = _cluster_for_jobs(st, name, now, ctx.config)
        live = [j for j in cluster['jobs'] if s.job_status(cluster, j, now) not in s.TERMINAL_JOB]
        if v.get('all'):
            targets = live
        elif v['job_ids']:
            targets = [j for j in live if j['id'] in v['job_ids']]
        else:
            o.echo(f'Cancelling latest running job on cluster {name!r}...')
            targets = live[-1:]
        for job in targets:
            job['cancelled_at'] = now
    if targets:
        o.echo(f"Cancelled job ID(s): {', '.join(str(j['id']) for j in targets)}")
    else:
        o.echo('No jobs cancelled. They may already be in terminal states.')
    return 0


# ---- managed jobs ---------------------------------------------------------------------------

def managed_table_lines(ctx, managed, now, skip_finished, all_users=False):
    shown = [(job, state) for job, state in managed if not (skip_finished and state in s.TERMINAL_MANAGED)]
    if not shown:
        return ['No in-progress managed jobs.']
    counts = {}
    for _, state in shown:
        if state not in s.TERMINAL_MANAGED:
            counts[state] = counts.get(state, 0) + 1
    lines = []
    if counts:
        lines.append('In progress tasks: ' + ', '.join(f'{n} {state}' for state, n in counts.items()))
    headers = (['USER'] if all_users else []) + ['ID', 'TASK', 'NAME', 'REQUESTED', 'SUBMITTED', 'TOT. DURATION',
                                                 'JOB DURATION', '#RECOVERIES', 'STATUS', 'POOL']
    rows = []
    for job, state in sorted(shown, key=lambda js: -js[0]['id']):
        timeline = s.managed_timeline(job)
        end = timeline['end'] if timeline['end'] <= now else now
        run_start = timeline['start'] if timeline['start'] <= now else None
        job_duration = None if run_start is None or state == 'FAILED_NO_RESOURCE' else max(0.0, end - run_start)
        row = ([job['user']] if all_users else []) + [
            str(job['id']), '-', job['name'], job['resources'], o.readable_ago(job['submitted_at'], now),
            o.readable_duration(end - job['submitted_at']), o.readable_duration(job_duration),
            str(s.managed_recoveries_so_far(job, now)), ctx.paint(state, JOB_COLOURS.get(state, o.BLUE)), '-']
        rows.append(row)
    return lines + o.table(headers, rows)


def managed_useful_commands(job_id):
    b, r = o.BOLD, o.RESET
    o.echo(f'\n📋 Useful Commands'
           f'\nManaged Job ID: {job_id}'
           f'\n{o.INDENT}To cancel the job:\t\t{b}sky jobs cancel {job_id}{r}'
           f'\n{o.INDENT}To stream job logs:\t\t{b}sky jobs logs {job_id}{r}'
           f'\n{o.INDENT}To stream controller logs:\t\t{b}sky jobs logs --controller {job_id}{r}'
           f'\n{o.INDENT}To view all managed jobs:\t\t{b}sky jobs queue{r}'
           f'\n{o.INDENT_LAST}To view managed job dashboard:\t\t{b}sky jobs dashboard{r}')


def jobs_launch(ctx, v):
    from .cmd_clusters import print_plan, require_cloud  # (cmd_clusters imports this module)
    offers = ctx.catalog()
    task = t.load(v, v['entrypoint'], offers)
    name = task['name'] or 'sky-managed'
    if v.get('name'):
        name = v['name']
    if task['autostop_down']:
        pass  # managed jobs tear their clusters down themselves
    if task['yaml']:
        o.echo(f"YAML to run: {task['yaml']}")
    elif task['command']:
        o.echo(f"Command to run: {task['command']}")
    require_cloud(ctx)
    rows = catalog.plan(offers, task['requests'], task['region'], task['spot'], task['num_nodes'],
                        task['instance_type'])
    print_plan(ctx, rows, task, heading=f"Managed job {name!r} will be launched on (estimated):")
    if v.get('dryrun'):
        return 0
    offer = rows[0][0]
    outcome = s.outcome_for(ctx.config, name)
    if 'no_capacity' in ctx.faults or 'quota' in ctx.faults:
        outcome = 'FAILED_NO_RESOURCE'
    with ctx.store.transaction() as st:
        now = s.now()
        job_id = st['next_managed_id']
        st['next_managed_id'] = job_id + 1
        requested = f"{task['num_nodes']}x[{offer.accelerator}:{offer.count}]" if offer.accelerator else \
            f"{task['num_nodes']}x[CPU:1+]"
        st['managed_jobs'].append({
            'id': job_id, 'name': name, 'user': ctx.config['user'], 'submitted_at': now,
            'job_seconds': float(ctx.config['job_seconds']),
            'provision_seconds': float(ctx.config['provision_seconds']), 'outcome': outcome,
            'recoveries': int(ctx.config.get('managed_recoveries') or 0) if outcome != 'FAILED_NO_RESOURCE' else 0,
            'resources': requested + ('[Spot]' if task['spot'] else ''), 'region': offer.region,
            'instance_type': offer.instance_type, 'log_lines': int(ctx.config['log_lines']),
            'secret_names': task['secret_names'], 'env_names': task['env_names'],
            'model': task['model'], 'dataset': task['dataset'], 'method': task['method'],
            'gpus': max(1, offer.count) * task['num_nodes'], 'num_nodes': task['num_nodes'],
        })
    o.echo(f"{o.CYAN}⚙︎ Launching managed job {name!r} from jobs controller...{o.RESET}")
    o.echo(f'{o.CYAN}⚙︎ Job submitted, ID: {job_id}{o.RESET}', flush=True)
    if v.get('detach_run'):
        managed_useful_commands(job_id)
        return 0
    code = follow_managed(ctx, job_id, follow=True)
    managed_useful_commands(job_id)
    return code


def jobs_queue(ctx, v):
    snapshot = ctx.store.snapshot()
    now = s.now()
    managed = [(job, s.managed_status(job, now)) for job in snapshot['managed_jobs']]
    limit = v.get('limit')
    if v.get('output') == 'json':
        jobs = []
        counts = {k: 0 for k in ('PENDING', 'STARTING', 'RUNNING', 'RECOVERING', 'SUCCEEDED', 'CANCELLING',
                                 'CANCELLED', 'FAILED')}
        for job, state in sorted(managed, key=lambda js: -js[0]['id']):
            if v.get('skip_finished') and state in s.TERMINAL_MANAGED:
                continue
            timeline = s.managed_timeline(job)
            counts[state] = counts.get(state, 0) + 1
            started = timeline['start'] if timeline['start'] <= now and state != 'FAILED_NO_RESOURCE' else None
            ended = timeline['end'] if timeline['end'] <= now else None
            jobs.append({'job_id': job['id'], 'task_id': 0, 'job_name': job['name'], 'task_name': job['name'],
                         'status': state, 'schedule_state': 'DONE' if ended else 'ALIVE',
                         'resources': job['resources'], 'cloud': 'Nebius', 'region': job['region'], 'zone': None,
                         'submitted_at': o.iso(job['submitted_at']), 'started_at': o.iso(started),
                         'ended_at': o.iso(ended),
                         'duration_seconds': None if started is None else int((ended or now) - started),
                         'recovery_count': s.managed_recoveries_so_far(job, now), 'workspace': 'default',
                         'user': job['user']})
        o.echo(json.dumps({'jobs': jobs[:limit] if limit else jobs, 'status_counts': counts}, indent=2))
        return 0
    o.echo('Fetching managed job statuses...', flush=True)
    o.echo(ctx.paint('Managed jobs', o.CYAN, o.BOLD))
    if limit:
        managed = sorted(managed, key=lambda js: -js[0]['id'])[:limit]
    for line in managed_table_lines(ctx, managed, now, v.get('skip_finished'), v.get('all_users')):
        o.echo(line)
    return 0


def follow_managed(ctx, job_id, follow):
    delay = float(ctx.config['log_delay'])
    printed = 0
    while True:
        snapshot = ctx.store.snapshot()
        now = s.now()
        job = next((j for j in snapshot['managed_jobs'] if j['id'] == job_id), None)
        state = s.managed_status(job, now)
        terminal = state in s.TERMINAL_MANAGED
        timeline = s.managed_timeline(job)
        lines = []
        if state == 'FAILED_NO_RESOURCE':
            lines = [f'{o.RED}sky.exceptions.ResourcesUnavailableError: Failed to provision all possible launchable '
                     f"resources. Relax the task's resource requirements: {job['resources']}{o.RESET}"]
        elif now >= timeline['start']:
            start, run_span = timeline['start'], timeline['run_span']
            end_fraction = min(1.0, (timeline['end'] - start) / run_span)
            lines = [text for fraction, text in joblog.lines(job, start, end_fraction, timeline['final'])
                     if start + fraction * run_span <= now]
        for text in lines[printed:]:
            _emit(text, delay if (follow and not terminal) else 0)
        printed = max(printed, len(lines))
        if terminal or not follow:
            break
        time.sleep(float(ctx.config.get('follow_poll_seconds', 0.05)))
    if terminal:
        colour = o.GREEN if state == 'SUCCEEDED' else (o.YELLOW if state == 'CANCELLED' else o.RED)
        mark = '✓' if state == 'SUCCEEDED' else '✗'
        o.echo(f'{colour}{mark} Managed job finished: {job_id} (status: {state}).{o.RESET}', flush=True)
    return s.managed_exit_code(state)


def jobs_logs(ctx, v):
    snapshot = ctx.store.snapshot()
    job_id = v.get('job_id')
    if v.get('controller'):
        pass  # the controller's log is not simulated; the task's log is shown instead
    if job_id is None:
        if not snapshot['managed_jobs']:
            o.echo('No managed jobs found.')
            return 102
        job_id = snapshot['managed_jobs'][-1]['id']
    if not any(j['id'] == job_id for j in snapshot['managed_jobs']):
        o.echo(f'{o.RED}No managed job found with ID {job_id}.{o.RESET}')
        return 102
    return follow_managed(ctx, job_id, follow=v.get('follow', True))


def jobs_cancel(ctx, v):
    ids = v['job_ids']
    selectors = sum(1 for x in (bool(ids), bool(v.get('name')), bool(v.get('all')), bool(v.get('all_users'))) if x)
    if selectors != 1:
        raise UsageError('Can only specify one of JOB_IDS, --name, --pool, or --all/--all-users. '
                         f"Provided {'none' if selectors == 0 else 'several'}.")
    with ctx.store.transaction() as st:
        now = s.now()
        chosen = []
        for job in st['managed_jobs']:
            if s.managed_status(job, now) in s.TERMINAL_MANAGED:
                continue
            if ids and job['id'] not in ids:
                continue
            if v.get('name') and job['name'] != v['name']:
                continue
            job['cancelled_at'] = now
            chosen.append(job['id'])
    if not chosen:
        o.echo('No job to cancel.')
    elif len(chosen) == 1:
        o.echo(f'Job with ID {chosen[0]} is scheduled to be cancelled.')
    else:
        o.echo(f"Jobs with IDs {', '.join(map(str, chosen))} are scheduled to be cancelled.")
    return 0
