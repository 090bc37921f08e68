"""sky launch / exec / status / stop / start / down / autostop / cost-report."""
import json
import uuid

from . import catalog
from . import output as o
from . import state as s
from . import task as t
from .cmd_jobs import follow_job, managed_table_lines
from .errors import SkyError, UsageError, autodown_not_supported, cluster_does_not_exist, cluster_not_up

NOT_FOUND = 'Cluster(s) not found (tip: see sky status).'


# ---- shared pieces --------------------------------------------------------------------------

def infra_str(region):
    return f'Nebius ({region})'


def resources_str(cluster, verbose):
    nodes = cluster['num_nodes']
    spot = '[Spot]' if cluster['spot'] else ''
    if cluster['accelerator']:
        head = f"gpus={cluster['accelerator']}:{cluster['count']}"
    else:
        head = f"cpus={catalog.number(cluster['vcpus'])}"
    if not verbose:
        return f'{nodes}x({head}, ...)'
    parts = [head]
    if cluster['accelerator']:
        parts.append(f"cpus={catalog.number(cluster['vcpus'])}")
    parts += [f"mem={catalog.number(cluster['memory'])}", cluster['instance_type'] + spot,
              f"disk={cluster.get('disk_size', 256)}"]
    return f"{nodes}x({', '.join(parts)})"


def queue_resources(cluster):
    if cluster['accelerator']:
        return f"{cluster['num_nodes']}x[{cluster['accelerator']}:{cluster['count']}]"
    return f"{cluster['num_nodes']}x[CPU:1+]"


def require_cloud(ctx):
    if 'credentials_disabled' in ctx.faults:
        raise SkyError('sky.exceptions.NoCloudAccessError',
                       f'Cloud access is not set up. Run: {o.BOLD}sky check{o.RESET}')


def provision_failure(ctx, offer, task, num_nodes):
    """Prints what a failed provisioning prints and returns the exception to raise (or None)."""
    if 'quota' in ctx.faults:
        o.echo(f'{o.YELLOW}Failed to provision on Nebius ({offer.region}): RESOURCE_EXHAUSTED: Quota limit '
               f'exceeded: compute.instance.gpu.{(offer.accelerator or "cpu").lower()} in region '
               f'{offer.region} (limit 0, requested {max(1, offer.count) * num_nodes}). '
               f'Request a quota increase in the Nebius console.{o.RESET}', flush=True)
        what = catalog.resources_repr(offer.accelerator, offer.count, None, task['spot'])
        return SkyError('sky.exceptions.ResourcesUnavailableError',
                        'Failed to provision all possible launchable resources. Relax the task\'s resource '
                        f'requirements: {num_nodes}x {what}\nQuotaExceeded: the Nebius project has no quota '
                        f'for {offer.instance_type} in {offer.region}.\n'
                        'To keep retrying until the cluster is up, use the `--retry-until-up` flag.')
    if 'no_capacity' in ctx.faults:
        o.echo(f'{o.YELLOW}Failed to acquire resources in {offer.region} for '
               f'{{{catalog.resources_repr(offer.accelerator, offer.count, None, task["spot"])}}}. '
               f'Try changing resource requirements or use another region.{o.RESET}', flush=True)
        what = catalog.resources_repr(offer.accelerator, offer.count, None, task['spot'])
        return SkyError('sky.exceptions.ResourcesUnavailableError',
                        'Failed to provision all possible launchable resources. Relax the task\'s resource '
                        f'requirements: {num_nodes}x {what}\n'
                        'To keep retrying until the cluster is up, use the `--retry-until-up` flag.')
    return None


def print_plan(ctx, rows, task, heading=None):
    nodes = task['num_nodes']
    if heading:
        o.echo(heading)
    o.echo(f"Considered resources ({nodes} node{'s' if nodes > 1 else ''}):")
    table_rows = []
    for index, (offer, _, _) in enumerate(rows):
        gpus = f'{offer.accelerator}:{offer.count}' if offer.accelerator else '-'
        instance = offer.instance_type + ('[Spot]' if task['spot'] else '')
        cost = offer.hourly(task['spot']) * nodes
        table_rows.append([infra_str(offer.region), instance, catalog.number(offer.vcpus),
                           catalog.number(offer.memory), gpus, f'{cost:.2f}', '   ✔' if index == 0 else ''])
    for line in o.framed_table(['INFRA', 'INSTANCE', 'vCPUs', 'Mem(GB)', 'GPUS', 'COST ($)', 'CHOSEN'], table_rows):
        o.echo(line)


def useful_commands(cluster, job_id):
    b, r = o.BOLD, o.RESET
    text = '\n📋 Useful Commands'
    if job_id is not None:
        text += (f'\nJob ID: {job_id}'
                 f'\n{o.INDENT}To cancel the job:\t\t{b}sky cancel {cluster} {job_id}{r}'
                 f'\n{o.INDENT}To stream job logs:\t\t{b}sky logs {cluster} {job_id}{r}'
                 f'\n{o.INDENT_LAST}To view job queue:\t\t{b}sky queue {cluster}{r}')
    text += (f'\nCluster name: {cluster}'
             f'\n{o.INDENT}To log into the head VM:\t{b}ssh {cluster}{r}'
             f'\n{o.INDENT}To submit a job:\t\t{b}sky exec {cluster} yaml_file{r}'
             f'\n{o.INDENT}To stop the cluster:\t{b}sky stop {cluster}{r}'
             f'\n{o.INDENT_LAST}To teardown the cluster:\t{b}sky down {cluster}{r}')
    o.echo(text)


def new_job(ctx, cluster, task, now):
    job_id = max([j['id'] for j in cluster['jobs']], default=0) + 1
    config = ctx.config
    job = {
        'id': job_id,
        'name': task['name'] or ('sky-cmd' if task['command'] else 'task'),
        'user': config['user'],
        'submitted_at': now,
        'cluster_up_at': s.cluster_up_at(cluster),
        'job_seconds': float(config['job_seconds']),
        'outcome': s.outcome_for(config, cluster['name']),
        'log_lines': int(config['log_lines']),
        'log_dir': '~/sky_logs/' + o.log_dir_name(now),
        'resources': queue_resources(cluster),
        'secret_names': task['secret_names'],
        'env_names': task['env_names'],
        'model': task['model'], 'dataset': task['dataset'], 'method': task['method'],
        'gpus': max(1, cluster['count']) * cluster['num_nodes'], 'num_nodes': cluster['num_nodes'],
    }
    cluster['jobs'].append(job)
    return job


def command_line(argv):
    """The launch command for `sky status -v`, with --secret values (never names) left out."""
    words = []
    after_secret = False
    for word in argv:
        if after_secret and '=' in word:
            word = word.split('=', 1)[0] + '=<redacted>'
        elif word.startswith('--secret=') and word.count('=') > 1:
            word = '--secret=' + word[len('--secret='):].split('=', 1)[0] + '=<redacted>'
        after_secret = word == '--secret'
        words.append(word)
    return 'sky ' + ' '.join(words)


# ---- launch / exec --------------------------------------------------------------------------

def launch(ctx, v):
    name = v.get('cluster') or f"sky-{uuid.uuid4().hex[:4]}-{ctx.config['user']}"
    t.check_cluster_name(name)
    if v.get('down'):
        raise autodown_not_supported()
    offers = ctx.catalog()
    task = t.load(v, v['entrypoint'], offers)
    if task['autostop_down']:
        raise autodown_not_supported()
    if task['yaml']:
        o.echo(f"YAML to run: {task['yaml']}")
    elif task['command']:
        o.echo(f"Command to run: {task['command']}")
    require_cloud(ctx)

    now = s.now()
    existing = ctx.store.snapshot()['clusters'].get(name)
    if existing is None or existing.get('stopped_at') is not None:
        rows = catalog.plan(offers, task['requests'], task['region'], task['spot'], task['num_nodes'],
                            task['instance_type'])
        if existing is not None:
            rows = [r for r in rows if r[0].instance_type == existing['instance_type']] or rows
        print_plan(ctx, rows, task)
        if v.get('dryrun'):
            return 0
        offer = rows[0][0]
        o.echo(f'{o.CYAN}⚙︎ Launching on Nebius {offer.region}.{o.RESET}', flush=True)
        failure = provision_failure(ctx, offer, task, task['num_nodes'])
        if failure:
            raise failure
    else:
        requested = task['requests'][0]
        if task['command'] is None and requested[0] and (requested[0], requested[1]) != (
                existing['accelerator'], existing['count']):
            raise SkyError('sky.exceptions.ResourcesMismatchError',
                           'Requested resources do not match the existing cluster.\n'
                           f"  Requested:\t{{{task['num_nodes']}x Nebius({{'{requested[0]}': {requested[1]}}})}}\n"
                           f"  Existing:\t{existing['num_nodes']}x Nebius({{'{existing['accelerator']}': "
                           f"{existing['count']}}})\n"
                           f'To fix: specify a new cluster name, or down the existing cluster first: sky down {name}')
        if v.get('dryrun'):
            o.echo(f'Running task on cluster {name}... (dry run)')
            return 0
        offer = None
        o.echo(f'Running task on cluster {name}...')

    with ctx.store.transaction() as st:
        now = s.now()
        cluster = st['clusters'].get(name)
        if cluster is None:
            cluster = {
                'name': name, 'region': offer.region, 'instance_type': offer.instance_type,
                'accelerator': offer.accelerator, 'count': offer.count, 'vcpus': offer.vcpus,
                'memory': offer.memory, 'price': offer.hourly(task['spot']), 'spot': task['spot'],
                'num_nodes': task['num_nodes'], 'disk_size': 256, 'launched_at': now, 'started_at': now,
                'provision_seconds': float(ctx.config['provision_seconds']), 'stopped_at': None,
                'stuck': 'stuck_init' in ctx.faults, 'autostop': -1, 'autostop_set_at': None,
                'user': ctx.config['user'], 'head_ip': f'198.51.100.{len(st["clusters"]) % 250 + 2}',
                'command': command_line(ctx.argv), 'jobs': [], 'uptime': 0.0,
            }
            st['clusters'][name] = cluster
        elif cluster.get('stopped_at') is not None:
            cluster['stopped_at'] = None
            cluster['started_at'] = now
            cluster['stuck'] = 'stuck_init' in ctx.faults
        minutes = v.get('idle_minutes')
        if minutes is None:
            minutes = task['autostop']
        if minutes is not None:
            cluster['autostop'] = int(minutes)
            cluster['autostop_set_at'] = now
        job = new_job(ctx, cluster, task, now)
    if offer is not None:
        o.echo(f'{o.INDENT_LAST}Instance is up.')
        o.echo(f'{o.GREEN}✓ Cluster launched: {name}.{o.RESET}  {o.DIM}View logs: sky logs --provision {name}{o.RESET}')
    if task['yaml']:
        o.echo(f'{o.CYAN}⚙︎ Syncing files.{o.RESET}')
        o.echo(f'{o.GREEN}✓ Synced workdir.{o.RESET}  {o.DIM}View logs: sky api logs -l '
               f"{job['log_dir'].split('/')[-1]}/workdir_sync.log{o.RESET}")
    return submitted(ctx, name, job['id'], v.get('detach_run'))


def submitted(ctx, cluster_name, job_id, detach):
    o.echo(f'{o.CYAN}⚙︎ Job submitted, ID: {job_id}{o.RESET}', flush=True)
    if detach:
        useful_commands(cluster_name, job_id)
        return 0
    o.echo(f'{o.INDENT}Waiting for task resources on 1 node.')
    o.echo(f'{o.INDENT_LAST}Job started. Streaming logs... (Ctrl-C to exit log streaming; job will not be killed)',
           flush=True)
    code = follow_job(ctx, cluster_name, job_id, follow=True, tail=0)
    useful_commands(cluster_name, job_id)
    return code


def exec_(ctx, v):
    name = v['cluster']
    offers = ctx.catalog()
    task = t.load(v, v['entrypoint'], offers)
    if not task['yaml'] and not task['command']:
        raise UsageError("Missing argument 'ENTRYPOINT'.")
    with ctx.store.transaction() as st:
        now = s.now()
        cluster = st['clusters'].get(name)
        if cluster is None:
            raise cluster_does_not_exist(name)
        s.settle_autostop(cluster, now, ctx.config)
        status = s.cluster_status(cluster, now)
        if status == 'STOPPED':
            raise cluster_not_up(name, status)
        o.echo(f'Submitting job to cluster: {name}')
        job = new_job(ctx, cluster, task, now)
    return submitted(ctx, name, job['id'], v.get('detach_run'))


# ---- status ---------------------------------------------------------------------------------

def cluster_json(cluster, status, now):
    return {
        'name': cluster['name'], 'launched_at': o.iso(cluster['launched_at']), 'status': status,
        'autostop_minutes': cluster.get('autostop', -1), 'to_down': False, 'cloud': 'Nebius',
        'region': cluster['region'], 'zone': None, 'resources': resources_str(cluster, True),
        'instance_type': cluster['instance_type'], 'nodes': cluster['num_nodes'],
        'cpus': catalog.number(cluster['vcpus']), 'memory': f"{catalog.number(cluster['memory'])}GB",
        'accelerators': f"{cluster['accelerator']}:{cluster['count']}" if cluster['accelerator'] else None,
        'use_spot': cluster['spot'], 'price_per_hour': cluster['price'] * cluster['num_nodes'],
        'head_ip': cluster['head_ip'] if status == 'UP' else None,
        'user': cluster['user'], 'workspace': 'default', 'command': cluster['command'],
    }


def status(ctx, v):
    names = v['clusters']
    refresh, verbose, all_users = v.get('refresh'), v.get('verbose'), v.get('all_users')
    if v.get('ip'):
        if refresh:
            raise UsageError('Using --ip with --refresh is not supported for now. To fix, refresh first, '
                             'then query the IP.')
        if len(names) != 1:
            raise UsageError('--ip option is only supported when a single cluster name is specified.')
    pending_autostop = 0
    with ctx.store.transaction() as st:
        now = s.now()
        records = []
        for name in sorted(st['clusters'], key=lambda n: -st['clusters'][n]['launched_at']):
            cluster = st['clusters'][name]
            if refresh:
                s.settle_autostop(cluster, now, ctx.config)
            elif cluster.get('autostop', -1) >= 0 and cluster.get('stopped_at') is None:
                pending_autostop += 1
            if names and name not in names:
                continue
            records.append((cluster, s.cluster_status(cluster, now)))
        managed = [(job, s.managed_status(job, now)) for job in st['managed_jobs']]
    missing = [n for n in names if n not in {c['name'] for c, _ in records}]

    if v.get('ip'):
        if missing:
            raise cluster_does_not_exist(missing[0])
        cluster, state = records[0]
        if state != 'UP':
            raise cluster_not_up(cluster['name'], state)
        o.echo(cluster['head_ip'])
        return 0

    if v.get('output') == 'json':
        o.echo(json.dumps({'clusters': [cluster_json(c, st_, now) for c, st_ in records]}, indent=2))
        return 0

    paint = ctx.paint
    enabled = 'credentials_disabled' not in ctx.faults
    o.echo(paint('Enabled Infra:', o.CYAN, o.BOLD) + (' nebius' if enabled else ' '))
    o.echo()
    o.echo(paint('Clusters', o.CYAN, o.BOLD))
    headers = ['NAME'] + (['USER'] + (['USER_ID'] if verbose else []) if all_users else []) + \
              ['INFRA', 'RESOURCES', 'STATUS', 'AUTOSTOP', 'LAUNCHED'] + (['HEAD_IP', 'COMMAND'] if verbose else [])
    rows = []
    colours = {'INIT': o.BLUE, 'UP': o.GREEN, 'STOPPED': o.YELLOW}
    for cluster, state in records:
        autostop = f"{cluster['autostop']}m" if cluster.get('autostop', -1) >= 0 else '-'
        row = [cluster['name']]
        if all_users:
            row.append(cluster['user'])
            if verbose:
                row.append(ctx.config['user_id'])
        row += [infra_str(cluster['region']), resources_str(cluster, verbose), paint(state, colours[state]), autostop,
                o.readable_ago(cluster['launched_at'], now)]
        if verbose:
            row += [cluster['head_ip'] if state == 'UP' else '-', cluster['command']]
        rows.append(row)
    if rows:
        for line in o.table(headers, rows):
            o.echo(line)
    elif not names:
        o.echo('No existing clusters.')
    if missing:
        quoted = ', '.join(f"'{n}'" for n in missing)
        o.echo(f"Cluster {quoted} not found." if len(missing) == 1 else f'Clusters {quoted} not found.')
    if not names:
        o.echo()
        o.echo(paint('Managed jobs', o.CYAN, o.BOLD))
        for line in managed_table_lines(ctx, managed, now, skip_finished=True):
            o.echo(line)
        o.echo()
        o.echo(paint('Services', o.CYAN, o.BOLD))
        o.echo('No live services.')
    if pending_autostop and not refresh:
        plural = ' has' if pending_autostop == 1 else 's have'
        o.echo(f'\n* {pending_autostop} cluster{plural} auto{{stop,down}} scheduled. Refresh statuses with: '
               + paint('sky status --refresh', o.BOLD))
    return 0


# ---- stop / start / down / autostop ---------------------------------------------------------

def stop(ctx, v):
    names = v['clusters']
    if not names and not v.get('all'):
        raise UsageError('Either specify a cluster name or pass the --all flag.')
    code = 0
    with ctx.store.transaction() as st:
        now = s.now()
        targets = list(st['clusters']) if v.get('all') else [n for n in names if n in st['clusters']]
        if not targets:
            o.echo(NOT_FOUND)
            return 0
        for name in targets:
            cluster = st['clusters'][name]
            s.settle_autostop(cluster, now, ctx.config)
            if cluster['spot']:
                o.echo(f'Stopping cluster {name}...failed.')
                o.error(f'sky.exceptions.NotSupportedError: {name!r} is a spot cluster: stopping spot '
                        'instances is not supported on Nebius. To remove it, run: sky down ' + name)
                code = 1
                continue
            if cluster.get('stopped_at') is None:
                s.stop_cluster(cluster, now)
            o.echo(f'Stopping cluster {name}...done.')
            o.echo(f'  To restart the cluster, run: {o.BOLD}sky start {name}{o.RESET}')
    return code


def start(ctx, v):
    names = v['clusters']
    if v.get('down'):
        raise autodown_not_supported()
    require_cloud(ctx)
    offers = ctx.catalog()
    with ctx.store.transaction() as st:
        now = s.now()
        targets = [n for n in names if n in st['clusters']]
        if not targets:
            o.echo(NOT_FOUND)
            return 0
        for name in targets:
            cluster = st['clusters'][name]
            s.settle_autostop(cluster, now, ctx.config)
            state = s.cluster_status(cluster, now)
            if state == 'UP':
                o.echo(f'Cluster {name!r} already has status UP.')
                continue
            offer = next(x for x in offers if x.instance_type == cluster['instance_type']
                         and x.region == cluster['region'])
            o.echo(f'{o.CYAN}⚙︎ Launching on Nebius {cluster["region"]}.{o.RESET}')
            failure = provision_failure(ctx, offer, {'spot': cluster['spot']}, cluster['num_nodes'])
            if failure:
                raise failure
            if state == 'STOPPED':
                cluster['stopped_at'] = None
                cluster['started_at'] = now
                cluster['stuck'] = 'stuck_init' in ctx.faults
            if v.get('idle_minutes') is not None:
                cluster['autostop'] = v['idle_minutes']
                cluster['autostop_set_at'] = now
            o.echo(f'{o.GREEN}Cluster {name} started.{o.RESET}')
    return 0


def down(ctx, v):
    names = v['clusters']
    code = 0
    with ctx.store.transaction() as st:
        now = s.now()
        targets = list(st['clusters']) if v.get('all') else [n for n in names if n in st['clusters']]
        if not targets:
            o.echo(NOT_FOUND)
            return 0
        for name in targets:
            if 'down_fails' in ctx.faults and not v.get('purge'):
                o.echo(f'Terminating cluster {name}...failed. Please check the logs and try again.')
                o.echo(f'  Reason: nebius.aio.service_error.RequestError: UNAVAILABLE: failed to delete instance '
                       f'computeinstance-e00{abs(hash(name)) % 10**8:08d}: boot disk detach in progress')
                o.echo(f'  To remove the cluster from the local state anyway (cloud resources may need manual '
                       f'cleanup), run: {o.BOLD}sky down --purge {name}{o.RESET}')
                code = 1
                continue
            cluster = st['clusters'].pop(name)
            if cluster.get('stopped_at') is None:
                s.stop_cluster(cluster, now)
            st['history'].append({
                'name': name, 'launched_at': cluster['launched_at'], 'terminated_at': now,
                'uptime': cluster.get('uptime', 0.0), 'price': cluster['price'], 'num_nodes': cluster['num_nodes'],
                'resources': resources_str(cluster, False),
            })
            o.echo(f'Terminating cluster {name}...done.')
    return code


def autostop(ctx, v):
    names = v['clusters']
    if v.get('down'):
        raise autodown_not_supported()
    minutes = v.get('idle_minutes')
    if minutes is None:
        minutes = 5
    with ctx.store.transaction() as st:
        now = s.now()
        targets = list(st['clusters']) if v.get('all') else [n for n in names if n in st['clusters']]
        if not targets:
            o.echo(NOT_FOUND)
            return 0
        for name in targets:
            cluster = st['clusters'][name]
            s.settle_autostop(cluster, now, ctx.config)
            state = s.cluster_status(cluster, now)
            if state != 'UP' and not (state == 'INIT' and not cluster.get('stuck')):
                raise cluster_not_up(name, state)
            if v.get('cancel'):
                cluster['autostop'] = -1
                o.echo(f'Cancelling autostop on cluster {name!r}...done')
                continue
            cluster['autostop'] = minutes
            cluster['autostop_set_at'] = now
            o.echo(f'Scheduling autostop on cluster {name!r}...done')
            o.echo(f'  The cluster will be autostopped after {minutes} minutes of idleness.')
            o.echo(f'  To cancel the autostop, run: {o.BOLD}sky autostop {name} --cancel{o.RESET}')
    return 0


# ---- cost-report ----------------------------------------------------------------------------

def cost_report(ctx, v):
    days = v.get('days')
    days = 30 if days is None else days
    snapshot = ctx.store.snapshot()
    now = s.now()
    entries = []
    for cluster in snapshot['clusters'].values():
        running = cluster.get('uptime', 0.0)
        if cluster.get('stopped_at') is None:
            running += max(0.0, now - cluster['started_at'])
        state = s.cluster_status(cluster, now)
        entries.append((cluster['launched_at'], cluster['name'], running, resources_str(cluster, False), state,
                        cluster['price'] * cluster['num_nodes']))
    for h in snapshot['history']:
        entries.append((h['launched_at'], h['name'], h['uptime'], h['resources'], 'TERMINATED',
                        h['price'] * h['num_nodes']))
    if days:
        entries = [e for e in entries if now - e[0] <= days * 86400]
    entries.sort(key=lambda e: -e[0])
    shown = entries if v.get('all') else entries[:5]
    o.echo(f"Clusters (last {days} days)" if days else 'Clusters')
    total = sum(e[2] / 3600 * e[5] for e in entries)
    if not shown:
        o.echo('No cluster history.')
    else:
        rows = [[name, o.readable_ago(launched, now), o.readable_duration(runtime), res, ctx.paint(state, o.BOLD),
                 f'$ {price:.2f}', f'$ {runtime / 3600 * price:.2f}']
                for launched, name, runtime, res, state, price in shown]
        for line in o.table(['NAME', 'LAUNCHED', 'DURATION', 'RESOURCES', 'STATUS', 'COST/hr', 'COST (est.)'], rows):
            o.echo(line)
        if len(entries) > len(shown):
            o.echo(f'{o.DIM}Showing up to 5 most recent clusters. To see all clusters, pass the --all flag.{o.RESET}')
    o.echo(f'\nTotal Cost: ${total:.2f}')
    o.echo(f'\n{o.YELLOW}Note: This feature is experimental. Costs for clusters with auto{{stop,down}} '
           f'scheduled may not be accurate.{o.RESET}')
    return 0
