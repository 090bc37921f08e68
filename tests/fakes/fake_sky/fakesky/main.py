"""Entry point: state directory, invocation log, parsing, faults, dispatch, exit codes."""
import os
import signal
import sys
import time

from . import catalog
from . import cli
from . import cmd_clusters as cc
from . import cmd_info as ci
from . import cmd_jobs as cj
from . import faults as f
from . import output as o
from . import state as s
from .cli import Arg, Command, Opt
from .errors import SkyError, UsageError

OUTPUT = Opt(['-o', '--output'], 'output', kind='value', choices=['table', 'json'], default='table')
YES = Opt(['-y', '--yes'], 'yes')
ALL = Opt(['-a', '--all'], 'all')
ALL_USERS = Opt(['-u', '--all-users'], 'all_users')
ASYNC = Opt(['--async'], 'async_call', negs=['--no-async'])
VERBOSE = Opt(['-v', '--verbose'], 'verbose')

TASK_OPTIONS = [
    Opt(['-n', '--name'], 'name', kind='value'),
    Opt(['--workdir'], 'workdir', kind='value'),
    Opt(['--infra'], 'infra', kind='value'),
    Opt(['--cloud'], 'cloud', kind='value'),
    Opt(['--region'], 'region', kind='value'),
    Opt(['--zone'], 'zone', kind='value'),
    Opt(['--num-nodes'], 'num_nodes', kind='value', type=int),
    Opt(['--cpus'], 'cpus', kind='value'),
    Opt(['--memory'], 'memory', kind='value'),
    Opt(['--disk-size'], 'disk_size', kind='value', type=int),
    Opt(['--disk-tier'], 'disk_tier', kind='value', choices=['low', 'medium', 'high', 'ultra', 'best', 'none']),
    Opt(['--network-tier'], 'network_tier', kind='value', choices=['standard', 'best', 'none']),
    Opt(['--use-spot'], 'use_spot', negs=['--no-use-spot'], default=None),
    Opt(['--image-id'], 'image_id', kind='value'),
    Opt(['--env-file'], 'env_file', kind='value'),
    Opt(['--env'], 'env', kind='value', multiple=True),
    Opt(['--secret'], 'secret', kind='value', multiple=True),
    Opt(['--gpus'], 'gpus', kind='value'),
    Opt(['-t', '--instance-type'], 'instance_type', kind='value'),
    Opt(['--ports'], 'ports', kind='value', multiple=True),
    Opt(['--git-url'], 'git_url', kind='value'),
    Opt(['--git-ref'], 'git_ref', kind='value'),
]

GPU_OPTIONS = [ALL, Opt(['--infra'], 'infra', kind='value'), Opt(['--cloud'], 'cloud', kind='value'),
               Opt(['--region'], 'region', kind='value'), Opt(['--all-regions'], 'all_regions')]

WAIT_FOR = Opt(['--wait-for'], 'wait_for', kind='value', choices=['jobs_and_ssh', 'jobs', 'none'])


def commands(config):
    json_opts = [OUTPUT] if config.get('json_output') else []
    table = [
        Command(('status',), cc.status, [VERBOSE, Opt(['-r', '--refresh'], 'refresh'), Opt(['--ip'], 'ip'),
                                         Opt(['--endpoints'], 'endpoints'), Opt(['--endpoint'], 'endpoint', kind='value'),
                                         Opt(['--show-managed-jobs'], 'show_managed', negs=['--no-show-managed-jobs']),
                                         Opt(['--show-services'], 'show_services', negs=['--no-show-services']),
                                         Opt(['--show-pools'], 'show_pools', negs=['--no-show-pools']),
                                         ALL_USERS, ASYNC] + json_opts,
                [Arg('clusters', '*')], 'Show clusters.'),
        Command(('launch',), cc.launch, TASK_OPTIONS + [
            Opt(['-c', '--cluster'], 'cluster', kind='value'), Opt(['--dryrun'], 'dryrun'),
            Opt(['-d', '--detach-run'], 'detach_run', negs=['--no-detach-run']), Opt(['--detach-setup', '-s'], 'ds'),
            Opt(['-i', '--idle-minutes-to-autostop'], 'idle_minutes', kind='value', type=int), WAIT_FOR,
            Opt(['--down'], 'down'), Opt(['-r', '--retry-until-up'], 'retry'), YES, Opt(['--no-setup'], 'no_setup'),
            Opt(['--clone-disk-from', '--clone'], 'clone', kind='value'), Opt(['--fast'], 'fast'), ASYNC],
            [Arg('entrypoint', '*')], 'Launch a cluster or task.'),
        Command(('exec',), cc.exec_, TASK_OPTIONS + [Opt(['-d', '--detach-run'], 'detach_run'), ASYNC],
                [Arg('cluster'), Arg('entrypoint', '*')], 'Execute a task or command on an existing cluster.'),
        Command(('queue',), cj.queue, [Opt(['-s', '--skip-finished'], 'skip_finished'), ALL_USERS] + json_opts,
                [Arg('clusters', '*')], 'Show the job queue for cluster(s).'),
        Command(('logs',), cj.logs, [Opt(['-s', '--sync-down'], 'sync_down'), Opt(['--status'], 'status'),
                                     Opt(['--follow'], 'follow', negs=['--no-follow'], default=True),
                                     Opt(['--tail'], 'tail', kind='value', type=int),
                                     Opt(['--provision'], 'provision'), Opt(['-w', '--worker'], 'worker', kind='value')],
                [Arg('cluster'), Arg('job_ids', '*', type=int)], 'Tail the log of a job.'),
        Command(('cancel',), cj.cancel, [ALL, ALL_USERS, YES, ASYNC],
                [Arg('cluster'), Arg('job_ids', '*', type=int)], 'Cancel job(s).'),
        Command(('stop',), cc.stop, [ALL, ALL_USERS, YES, ASYNC, Opt(['--graceful'], 'graceful')],
                [Arg('clusters', '*')], 'Stop cluster(s).'),
        Command(('down',), cc.down, [ALL, ALL_USERS, YES, ASYNC, Opt(['-p', '--purge'], 'purge'),
                                     Opt(['--graceful'], 'graceful')],
                [Arg('clusters', '*')], 'Tear down cluster(s).'),
        Command(('start',), cc.start, [ALL, YES, ASYNC, Opt(['-i', '--idle-minutes-to-autostop'], 'idle_minutes',
                                                                   kind='value', type=int),
                                       WAIT_FOR, Opt(['--down'], 'down'), Opt(['-r', '--retry-until-up'], 'retry'),
                                       Opt(['-f', '--force'], 'force')],
                [Arg('clusters', '*')], 'Restart cluster(s).'),
        Command(('autostop',), cc.autostop, [Opt(['-i', '--idle-minutes'], 'idle_minutes', kind='value', type=int),
                                             WAIT_FOR, Opt(['--cancel'], 'cancel'), Opt(['--down'], 'down'),
                                             ALL, ALL_USERS, YES, ASYNC],
                [Arg('clusters', '*')], 'Schedule an autostop or autodown for cluster(s).'),
        Command(('check',), ci.check, [VERBOSE, Opt(['-w', '--workspace'], 'workspace', kind='value')] + json_opts,
                [Arg('infra', '*')], 'Check which clouds are available to use.'),
        Command(('show-gpus',), ci.show_gpus, GPU_OPTIONS, [Arg('gpu', '?')],
                'Show supported GPU/TPU/accelerators and their prices.'),
        Command(('cost-report',), cc.cost_report, [ALL, Opt(['--days'], 'days', kind='value', type=int)],
                [], 'Show estimated costs for launched clusters.'),
        Command(('jobs', 'launch'), cj.jobs_launch, TASK_OPTIONS + [
            Opt(['--job-recovery'], 'job_recovery', kind='value'), Opt(['-d', '--detach-run'], 'detach_run'),
            Opt(['-p', '--pool'], 'pool', kind='value'), Opt(['--num-jobs'], 'num_jobs', kind='value', type=int),
            YES, ASYNC, Opt(['--dryrun'], 'dryrun')],
            [Arg('entrypoint', '*')], 'Launch a managed job from a YAML or a command.'),
        Command(('jobs', 'queue'), cj.jobs_queue, [VERBOSE, Opt(['-l', '--limit'], 'limit', kind='value', type=int),
                                                  Opt(['-r', '--refresh'], 'refresh'),
                                                  Opt(['-s', '--skip-finished'], 'skip_finished'), ALL_USERS, ALL]
                + json_opts, [], 'Show statuses of managed jobs.'),
        Command(('jobs', 'logs'), cj.jobs_logs, [Opt(['-n', '--name'], 'name', kind='value'),
                                                Opt(['--follow'], 'follow', negs=['--no-follow'], default=True),
                                                Opt(['--controller'], 'controller'), Opt(['-r', '--refresh'], 'refresh'),
                                                Opt(['-s', '--sync-down'], 'sync_down')],
                [Arg('job_id', '?', type=int)], 'Tail or sync down the log of a managed job.'),
        Command(('jobs', 'cancel'), cj.jobs_cancel, [Opt(['-n', '--name'], 'name', kind='value'),
                                                    Opt(['-p', '--pool'], 'pool', kind='value'), ALL, ALL_USERS, YES],
                [Arg('job_ids', '*', type=int)], 'Cancel managed jobs.'),
        Command(('api', 'info'), ci.api_info, json_opts, [], 'Shows the SkyPilot API server URL.'),
        Command(('api', 'start'), ci.api_start, [Opt(['--deploy'], 'deploy'), Opt(['--host'], 'host', kind='value'),
                                                Opt(['--foreground'], 'foreground')], [], 'Starts the API server.'),
        Command(('api', 'stop'), ci.api_stop, [], [], 'Stops the API server.'),
    ]
    if config.get('gpus_list', True):
        table.append(Command(('gpus', 'list'), ci.gpus_list, GPU_OPTIONS, [Arg('gpu', '?')],
                             'Show supported GPU/TPU/accelerators and their prices.'))
    return table


GROUPS = {'jobs': 'Managed Jobs CLI (jobs with auto-recovery).', 'api': 'SkyPilot API server commands.',
          'gpus': 'GPU commands.'}


class Context:
    def __init__(self, state_dir, config, argv):
        self.state_dir = state_dir
        self.config = config
        self.argv = argv
        self.store = s.Store(state_dir)
        self.faults = set()
        self.color = bool(config.get('color'))
        self._catalog = None

    def catalog(self):
        if self._catalog is None:
            self._catalog = catalog.load()
        return self._catalog

    def paint(self, text, *codes):
        """Colour that click.echo would strip when stdout is not a terminal (kept when config color is on)."""
        return o.style(text, *codes, enabled=self.color)

    def unreachable_message(self):
        url = ci.api_url()
        return (f'Could not connect to SkyPilot API server at {url}. Please ensure that the server is running. '
                f'Try: curl {url}/api/health')

    def version_mismatch_error(self):
        c = self.config
        return SkyError('sky.exceptions.APIVersionMismatchError',
                        f'{o.YELLOW}Client and local API server version mismatch:\n'
                        f"{o.RESET}{o.DIM}client version: v{c['version']} (API version: v11)\n"
                        f"server version: v{c['server_version']} (API version: v7){o.RESET}\n"
                        f'{o.YELLOW}Please restart the SkyPilot API server with:\n'
                        f'{o.BOLD}sky api stop; sky api start{o.RESET}{o.RESET}')


def usage_failure(error, command=None, group=None):
    if command is not None:
        usage, path = command.usage(), command.name()
    elif group is not None:
        usage, path = f'Usage: sky {group} [OPTIONS] COMMAND [ARGS]...', f'sky {group}'
    else:
        usage, path = 'Usage: sky [OPTIONS] COMMAND [ARGS]...', 'sky'
    o.ERR.write(f"{usage}\nTry '{path} -h' for help.\n\nError: {error.message}\n")
    o.ERR.flush()
    return 2


def top_help(table):
    lines = ['Usage: sky [OPTIONS] COMMAND [ARGS]...', '', '  SkyPilot CLI (fake, for tests).', '', 'Options:',
             '  -v, --version  Show the version and exit.', '  -c, --commit   Show the commit hash and exit.',
             '  -h, --help     Show this message and exit.', '', 'Commands:']
    seen = []
    for command in table:
        if command.path[0] not in seen:
            seen.append(command.path[0])
            lines.append('  ' + command.path[0])
    return '\n'.join(lines)


def resolve(argv, table):
    """Finds the command for argv; returns (command, rest) or raises UsageError / returns special."""
    by_path = {c.path: c for c in table}
    if not argv:
        return 'help', None, []
    head = argv[0]
    if head in ('-v', '--version'):
        return 'version', None, argv[1:]
    if head in ('-c', '--commit'):
        return 'commit', None, argv[1:]
    if head in ('-h', '--help'):
        return 'help', None, []
    if head.startswith('-'):
        raise UsageError(f'No such option: {head}')
    if head in GROUPS and any(c.path[0] == head and len(c.path) == 2 for c in table):
        if len(argv) < 2 or argv[1] in ('-h', '--help'):
            return 'group-help', head, []
        sub = argv[1]
        if (head, sub) not in by_path:
            if sub.startswith('-'):
                raise UsageError(f'No such option: {sub}', command_path=head)
            raise UsageError(f"No such command '{sub}'.", command_path=head)
        return 'run', by_path[(head, sub)], argv[2:]
    if (head,) not in by_path:
        raise UsageError(f"No such command '{head}'.")
    return 'run', by_path[(head,)], argv[1:]


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    state_dir = os.environ.get('FAKE_SKY_STATE')
    if not state_dir:
        sys.stderr.write('fake sky: FAKE_SKY_STATE is not set; point it at a directory where the fake keeps its '
                         'state (clusters, jobs, config.json, invocations.log).\n')
        return 1
    try:
        os.makedirs(state_dir, exist_ok=True)
        s.log_invocation(state_dir, argv)
    except OSError as e:
        sys.stderr.write(f'fake sky: cannot use FAKE_SKY_STATE={state_dir}: {e}\n')
        return 1
    config = s.load_config(state_dir)
    table = commands(config)
    ctx = Context(state_dir, config, argv)

    try:
        kind, command, rest = resolve(argv, table)
    except UsageError as e:
        return usage_failure(e, group=e.command_path)
    if kind == 'help':
        o.echo(top_help(table))
        return 0
    if kind == 'group-help':
        o.echo(f'Usage: sky {command} [OPTIONS] COMMAND [ARGS]...\n\n  {GROUPS[command]}\n\nCommands:')
        for c in table:
            if c.path[0] == command and len(c.path) == 2:
                o.echo(f'  {c.path[1]}')
        return 0
    values = {}
    if kind == 'run':
        try:
            values = cli.parse(command, rest)
        except UsageError as e:
            return usage_failure(e, command=command)
        if values.get('help'):
            o.echo(cli.help_text(command))
            return 0
        path = command.path
    else:
        path = (kind,)

    known_paths = [c.path for c in table] + [('version',), ('commit',)]
    ctx.faults = f.active(config, path, known_paths)
    if 'kill_caller' in ctx.faults:
        f.kill_caller()
        return 1
    if 'kill_caller_midway' in ctx.faults:
        f.kill_caller()
        # Like the API server, carry on with the request although nobody reads the answer any more
        # (writing to the dead caller's pipe would otherwise kill us with SIGPIPE half-way).
        f.detach_output()
    if 'slow' in ctx.faults:
        time.sleep(float(config.get('slow_seconds', 2.0)))
    if 'hang' in ctx.faults:
        f.hang(path)
    if 'garbage' in ctx.faults:
        f.garbage()
        return 0
    if 'huge_output' in ctx.faults:
        f.huge_output()

    capture = bool(ctx.faults & {'crash_mid_output', 'non_utf8', 'kill_caller_after'})
    if capture:
        o.OUT.start_capture()
    code = run(ctx, kind, command, values)
    if 'kill_caller_after' in ctx.faults:
        f.kill_caller()
    if capture:
        data = o.OUT.take_capture()
        if 'crash_mid_output' in ctx.faults:
            f.crash(data)
        o.OUT.raw(f.mangle_utf8(data))
    o.OUT.flush()
    return code


def run(ctx, kind, command, values):
    config = ctx.config
    if kind == 'version':
        o.echo(f"skypilot, version {config['version']}")
        return 0
    if kind == 'commit':
        o.echo(f"skypilot, commit {config['commit']}")
        return 0
    try:
        if command.path != ('api', 'info'):
            if 'api_unreachable' in ctx.faults:
                raise SkyError('sky.exceptions.ApiServerConnectionError', ctx.unreachable_message())
            if 'version_mismatch' in ctx.faults:
                raise ctx.version_mismatch_error()
        first_contact(ctx)
        return command.handler(ctx, values)
    except SkyError as e:
        o.OUT.flush()
        o.error(e.render())
        return e.exit_code
    except UsageError as e:
        o.OUT.flush()
        return usage_failure(e, command=command)


def first_contact(ctx):
    """The first call that needs the API server starts a local one, and says so (on stderr)."""
    if not ctx.config.get('banner', True) or ctx.faults & {'api_unreachable', 'version_mismatch'}:
        return
    if ctx.store.snapshot().get('api_server_started'):
        return
    with ctx.store.transaction() as st:
        if st.get('api_server_started'):
            return
        st['api_server_started'] = True
    o.ERR.write(f'{o.GREEN}✓ SkyPilot API server started.{o.RESET} {o.DIM}View API server logs at: '
                f'~/.sky/api_server/server.log{o.RESET}\n' if ctx.color else
                '✓ SkyPilot API server started. View API server logs at: ~/.sky/api_server/server.log\n')
    o.ERR.flush()
