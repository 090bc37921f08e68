"""Turning `sky launch|exec|jobs launch` arguments and a task YAML into what the fake needs."""
import json
import os
import re

from . import catalog
from . import taskyaml
from .errors import SkyError, UsageError

NAME_REGEX = '[a-z]([-a-z0-9]*[a-z0-9])?'
MAX_NAME = 50


def check_cluster_name(name):
    if re.fullmatch(NAME_REGEX, name) is None:
        raise SkyError('sky.exceptions.InvalidClusterNameError',
                       f'Cluster name "{name}" is invalid; ensure it is fully matched by regex (e.g., only '
                       f'contains lower letters, numbers and dash): {NAME_REGEX}')
    if len(name) > MAX_NAME:
        raise SkyError('sky.exceptions.InvalidClusterNameError',
                       f'Cluster name {name!r} has {len(name)} chars; maximum length is {MAX_NAME} chars on Nebius.')


def _parse_kv(values, flag):
    """--env/--secret KEY=VAL or bare KEY (copied from this process's environment)."""
    result = {}
    for item in values:
        if '=' not in item:
            value = os.environ.get(item)
            if value is None:
                raise UsageError(f'{item} is not set in local environment.')
            result[item] = value
        else:
            key, value = item.split('=', 1)
            if not key:
                raise UsageError(f'Invalid {flag} var: {item}. Must be in the form of KEY=VAL or KEY.')
            result[key] = value
    return result


def _accelerator_requests(value):
    """resources.accelerators in any of its forms -> [(name, count)]."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [(str(k), int(v) if v is not None else 1) for k, v in value.items()]
    if isinstance(value, list):
        result = []
        for item in value:
            result += _accelerator_requests(item)
        return result
    text = str(value).strip()
    if text.startswith('{') or text.startswith('['):
        return _accelerator_requests(taskyaml._scalar(text))
    return [catalog.parse_accelerator(text)]


def _infra_region(infra, what):
    """'nebius/eu-north1' -> 'eu-north1'; other clouds are not enabled."""
    if infra is None:
        return None
    text = str(infra).strip()
    if text in ('', 'none', '*'):
        return None
    cloud, _, rest = text.partition('/')
    if cloud.lower() not in ('nebius', '*'):
        display = {'aws': 'AWS', 'gcp': 'GCP', 'k8s': 'Kubernetes', 'kubernetes': 'Kubernetes',
                   'lambda': 'Lambda', 'runpod': 'RunPod'}.get(cloud.lower(), cloud)
        raise SkyError('sky.exceptions.ResourcesUnavailableError',
                       f'Task{what} requires {display} which is not enabled. To enable access, change the task '
                       f'cloud requirement or run: sky check {cloud.lower()}')
    region = rest.split('/')[0] if rest else None
    return region or None


def load(v, entrypoint, offers):
    """Returns the task as a dict; raises SkyError/UsageError like the real CLI would."""
    task = {'yaml': None, 'command': None, 'name': v.get('name'), 'requests': [], 'region': None, 'spot': False,
            'num_nodes': 1, 'instance_type': None, 'autostop': None, 'autostop_down': False,
            'secret_names': [], 'env_names': [], 'model': None, 'dataset': None, 'method': None}
    doc = {}
    if entrypoint:
        first = entrypoint[0]
        looks_yaml = len(entrypoint) == 1 and (first.endswith('.yaml') or first.endswith('.yml'))
        if looks_yaml or (len(entrypoint) == 1 and os.path.isfile(first)):
            if not os.path.isfile(first):
                raise SkyError('FileNotFoundError', f"[Errno 2] No such file or directory: {first!r}")
            with open(first, 'r', encoding='utf-8', errors='replace') as f:
                documents = taskyaml.parse(f.read())
            if len(documents) > 1:
                raise SkyError('ValueError', f'YAML {first!r} has {len(documents)} tasks (a pipeline). '
                                             'Only `sky jobs launch` runs pipelines.')
            doc = documents[0] if documents and isinstance(documents[0], dict) else {}
            task['yaml'] = first
            _read_job_json(task, first, doc)
        else:
            task['command'] = ' '.join(entrypoint)
    if task['name'] is None and isinstance(doc.get('name'), str):
        task['name'] = doc['name']
    what = f" {task['name']!r}" if task['name'] else ''

    resources = doc.get('resources') if isinstance(doc.get('resources'), dict) else {}
    alternatives = resources.get('any_of') or resources.get('ordered') or []
    if not isinstance(alternatives, list):
        alternatives = []
    requests = _accelerator_requests(resources.get('accelerators'))
    for alternative in alternatives:
        if isinstance(alternative, dict):
            requests += _accelerator_requests(alternative.get('accelerators'))
            if task['region'] is None and alternative.get('infra'):
                task['region'] = _infra_region(alternative.get('infra'), what)
    infra = resources.get('infra')
    if infra is None and resources.get('cloud'):
        infra = str(resources['cloud']) + ('/' + str(resources['region']) if resources.get('region') else '')
    region = _infra_region(infra, what)
    task['region'] = region or task['region']
    task['spot'] = bool(resources.get('use_spot'))
    task['instance_type'] = resources.get('instance_type')
    autostop = resources.get('autostop')
    if isinstance(autostop, dict):
        task['autostop'] = autostop.get('idle_minutes', 5)
        task['autostop_down'] = bool(autostop.get('down'))
    elif isinstance(autostop, bool):
        task['autostop'] = 5 if autostop else None
    elif isinstance(autostop, (int, float)):
        task['autostop'] = int(autostop)
    if isinstance(doc.get('num_nodes'), int):
        task['num_nodes'] = doc['num_nodes']

    # Command-line overrides.
    if v.get('infra') is not None:
        task['region'] = _infra_region(v['infra'], what)
    if v.get('gpus'):
        requests = [] if v['gpus'] == 'none' else _accelerator_requests(v['gpus'])
    if v.get('use_spot') is not None:
        task['spot'] = v['use_spot']
    if v.get('num_nodes') is not None:
        if v['num_nodes'] < 1:
            raise UsageError("Invalid value for '--num-nodes': must be at least 1.")
        task['num_nodes'] = v['num_nodes']
    if v.get('instance_type'):
        task['instance_type'] = v['instance_type']
    requests = [(catalog.canonical_name(offers, name), count) for name, count in requests]
    task['requests'] = requests or [(None, 0)]
    if task['instance_type']:
        match = [o for o in offers if o.instance_type == task['instance_type']]
        if not match:
            raise SkyError('ValueError', f"Invalid instance type {task['instance_type']!r} for cloud Nebius.")
        task['requests'] = [(match[0].accelerator, match[0].count)]
    if task['region'] and task['region'] not in catalog.regions(offers):
        raise SkyError('ValueError', f"Invalid region {task['region']!r}")

    # Secrets and environment variables: names are kept, values never.
    secrets = doc.get('secrets') if isinstance(doc.get('secrets'), dict) else {}
    envs = doc.get('envs') if isinstance(doc.get('envs'), dict) else {}
    given_secrets = _parse_kv(v.get('secret') or [], 'secret')
    given_envs = _parse_kv(v.get('env') or [], 'env')
    missing = [k for k, value in secrets.items() if value is None and k not in given_secrets]
    if missing:
        raise SkyError('ValueError', f'Secret variable(s) with null values: {missing}. '
                                     'Please provide values with --secret.')
    missing = [k for k, value in envs.items() if value is None and k not in given_envs]
    if missing:
        raise SkyError('ValueError', f'Environment variable(s) with null values: {missing}. '
                                     'Please provide values with --env.')
    task['secret_names'] = sorted(set(secrets) | set(given_secrets))
    task['env_names'] = sorted(set(envs) | set(given_envs))
    return task


def _read_job_json(task, yaml_path, doc):
    """VibeML writes job.json next to task.yaml (or in the workdir); the fake's logs name its model."""
    folders = [os.path.dirname(os.path.abspath(yaml_path))]
    workdir = doc.get('workdir')
    if isinstance(workdir, str):
        folders.append(os.path.join(folders[0], workdir))
    for folder in folders:
        try:
            with open(os.path.join(folder, 'job.json'), 'r', encoding='utf-8') as f:
                job = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(job, dict):
            task['model'] = (job.get('model') or {}).get('id') if isinstance(job.get('model'), dict) else None
            task['dataset'] = (job.get('dataset') or {}).get('id') if isinstance(job.get('dataset'), dict) else None
            task['method'] = job.get('method') if isinstance(job.get('method'), str) else None
            return


def describe_requests(requests):
    accelerator, count = requests[0]
    return f'{accelerator}:{count}' if accelerator else None
