"""sky api info/start/stop, sky check, sky show-gpus / sky gpus list."""
import json
import os

from . import catalog
from . import output as o
from .errors import SkyError

ENDPOINT_ENV = 'SKYPILOT_API_SERVER_ENDPOINT'


def api_url():
    return os.environ.get(ENDPOINT_ENV) or 'http://127.0.0.1:46580'


def api_info(ctx, v):
    c = ctx.config
    url = api_url()
    if v.get('output') == 'json':
        if 'api_unreachable' in ctx.faults:
            raise SkyError('sky.exceptions.ApiServerConnectionError', ctx.unreachable_message())
        o.echo(json.dumps({
            'client': {'version': c['version'], 'commit': c['commit']},
            'server': {'url': url, 'status': 'healthy', 'version': c['version'], 'commit': c['commit'],
                       'api_version': '11'},
            'user': c['user'],
        }, indent=2))
        return 0
    o.echo(f"SkyPilot client version: {c['version']}, commit: {c['commit']}")
    if 'api_unreachable' in ctx.faults:
        # What the real command prints when the (local) server cannot be reached; exit 0.
        o.echo('No SkyPilot API server is connected\n'
               f'{o.INDENT}To connect to an existing API server: sky api login\n'
               f'{o.INDENT_LAST}To start a local API server: sky api start')
        return 0
    if 'version_mismatch' in ctx.faults:
        raise ctx.version_mismatch_error()
    if os.environ.get(ENDPOINT_ENV):
        location = f'Endpoint set via the environment variable {ENDPOINT_ENV}'
    else:
        location = 'Endpoint set to default local API server.'
    o.echo(f'Using SkyPilot API server and dashboard: {url}\n'
           f"{o.INDENT}Status: ApiServerStatus.HEALTHY, commit: {c['commit']}, version: {c['version']}\n"
           f"{o.INDENT}User: {c['user']} ({c['user_id']})\n"
           f'{o.INDENT_LAST}{location}')
    return 0


def api_start(ctx, v):
    o.echo(f'{o.GREEN}✓ SkyPilot API server started.{o.RESET}' if ctx.color else '✓ SkyPilot API server started.')
    return 0


def api_stop(ctx, v):
    o.echo('SkyPilot API server stopped.')
    return 0


# ---- check ----------------------------------------------------------------------------------

NEBIUS_TOKEN_HINT = (
    '    Credentials can be set up by running: \n'
    '      $ nebius iam get-access-token > ~/.nebius/NEBIUS_IAM_TOKEN.txt \n'
    '     or generate  ~/.nebius/credentials.json \n')
NEBIUS_TENANT_HINT = (
    '     Copy your tenant ID from the web console and save it to file \n'
    '      $ echo $NEBIUS_TENANT_ID_PATH > ~/.nebius/NEBIUS_TENANT_ID.txt \n'
    '     Or if you have 1 tenant you can run:\n'
    "      $ nebius --format json iam whoami|jq -r '.user_profile.tenants[0].tenant_id' > "
    '~/.nebius/NEBIUS_TENANT_ID.txt \n')
NEBIUS_STORAGE_HINT = (
    '[nebius] profile is not set in ~/.aws/credentials. Run the following commands:\n'
    '      $ pip install boto3\n'
    '      $ aws configure --profile nebius\n'
    '    For more info: https://docs.skypilot.co/en/latest/getting-started/installation.html#nebius')

OTHER_CLOUDS = [
    ('AWS', 'AWS credentials are not set. Run the following commands:\n'
            '      $ pip install boto3 botocore awscli\n'
            '      $ aws configure\n'
            '      $ aws configure list  # Ensure that this shows identity is set.\n'
            '    For more info: https://docs.skypilot.co/en/latest/getting-started/installation.html#aws'),
    ('Kubernetes', 'kubeconfig not found. Check if ~/.kube/config exists.'),
]

VALID_CLOUDS = ['aws', 'azure', 'cudo', 'do', 'fluidstack', 'gcp', 'ibm', 'kubernetes', 'lambda', 'nebius',
                'oci', 'paperspace', 'runpod', 'scp', 'ssh', 'vast', 'vsphere']


def _reason(text):
    return text.strip()


def check(ctx, v):
    infra = [name.lower() for name in v['infra']]
    for name in infra:
        if name.split('/')[0] not in VALID_CLOUDS:
            raise SkyError('ValueError', f'Cloud {name!r} is not a valid cloud among {VALID_CLOUDS}')
    enabled = 'credentials_disabled' not in ctx.faults
    if v.get('output') == 'json':
        o.echo(json.dumps({'default': {'Nebius': ['compute', 'storage']} if enabled else {}}, indent=2))
        return 0
    show_others = not infra
    dim, green, bold, reset = o.DIM, o.GREEN, o.BOLD, o.RESET  # `sky check` forces colour
    o.echo('Checking credentials to enable infra for SkyPilot.')
    entries = []
    if show_others:
        entries += [(name, False, {'compute': hint}) for name, hint in OTHER_CLOUDS]
    if enabled:
        entries.append(('Nebius', True, None))
    else:
        compute = f"UNAUTHENTICATED: invalid credentials \n{NEBIUS_TOKEN_HINT} \n{NEBIUS_TENANT_HINT}"
        entries.append(('Nebius', False, {'compute': compute, 'storage': NEBIUS_STORAGE_HINT}))
    for name, ok, reasons in sorted(entries):
        if ok:
            o.echo(f'{green}{o.NORMAL}  {name}: enabled [compute, storage]{reset}')
            continue
        o.echo(f'{dim}  {name}: disabled {reset}')
        for capability, text in reasons.items():
            o.echo(f'    Reason [{capability}]: {_reason(text)}')
    o.echo(f'\n{green}🎉 Enabled infra 🎉{reset}')
    o.echo(f'  {green}Nebius [compute, storage]{reset}' if enabled else '  No infra to check/enabled.')
    o.echo(f'\n{dim}To enable a cloud, follow the hints above and rerun: {reset}{bold}sky check{reset}\n'
           f'{dim}If any problems remain, refer to detailed docs at: '
           f'https://docs.skypilot.co/en/latest/getting-started/installation.html{reset}')
    o.echo(f'\nUsing SkyPilot API server: {api_url()}')
    return 0


# ---- show-gpus / gpus list ------------------------------------------------------------------

def show_gpus(ctx, v, renamed=True):
    if renamed and ctx.config.get('gpus_list', True):
        # click.secho(err=True, fg='yellow'): colour only where click keeps it.
        o.ERR.write(ctx.paint('WARNING: `sky show-gpus` has been renamed to `sky gpus list` and will be '
                              'removed in a future release. Please use the latter instead.\n', o.YELLOW) + '\n')
        o.ERR.flush()
    offers = ctx.catalog()
    region = None
    infra = v.get('infra')
    if infra:
        cloud, _, region = infra.partition('/')
        if cloud.lower() not in ('nebius', '*'):
            raise SkyError('ValueError', f'Infra {infra!r} is not enabled. Enabled infra: nebius. '
                                         'Run `sky check` to enable it.')
        region = region or None
        if region and region not in catalog.regions(offers):
            raise SkyError('ValueError', f'Invalid region {region!r}')
    gpu = v.get('gpu')
    if v.get('all_regions') and not gpu:
        raise SkyError('ValueError', 'The --all-regions flag is only valid when an accelerator is specified.')
    if not gpu:
        if v.get('all'):
            for index, name in enumerate(catalog.quantities(offers, region)):
                if index:
                    o.echo()
                rows = catalog.gpu_offers(offers, name, region=region)
                for line in o.table(catalog.GPU_HEADERS[:-1], catalog.gpu_table_rows(rows, show_region=False)):
                    o.echo(line)
            return 0
        rows = [[name, ', '.join(str(c) for c in counts)]
                for name, counts in catalog.quantities(offers, region).items()]
        for line in o.table(['COMMON_GPU', 'AVAILABLE_QUANTITIES'], rows):
            o.echo(line)
        o.echo('\nHint: use -a/--all to see all accelerators (including non-common ones) and pricing.')
        return 0
    name, quantity = gpu, None
    if ':' in gpu:
        name, count_text = gpu.split(':', 1)
        try:
            quantity = int(count_text)
        except ValueError:
            raise SkyError('ValueError', f'Invalid accelerator quantity {count_text!r}.')
    rows = catalog.gpu_offers(offers, name, quantity, region, all_regions=bool(v.get('all_regions')))
    if not rows:
        quantity_str = f' with requested quantity {quantity}' if quantity else ''
        o.echo(f"Resources '{name}'{quantity_str} not found on Nebius. "
               'To show available accelerators, run: sky show-gpus --all')
        return 0
    for line in o.table(catalog.GPU_HEADERS, catalog.gpu_table_rows(rows)):
        o.echo(line)
    return 0


def gpus_list(ctx, v):
    return show_gpus(ctx, v, renamed=False)
