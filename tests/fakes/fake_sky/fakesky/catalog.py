"""The bundled Nebius catalog (SkyPilot's catalogs/v8/nebius/vms.csv) and what is derived from it."""
import ast
import csv
import os

from .errors import SkyError

_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PATH = os.path.normpath(os.path.join(_HERE, '..', '..', '..', '..', 'resources', 'catalogs', 'nebius-vms.csv'))
DEFAULT_CPU_INSTANCE = 'cpu-d3_8vcpu-32gb'


class Offer:
    def __init__(self, row):
        self.instance_type = row['InstanceType']
        self.accelerator = row['AcceleratorName'] or None
        self.count = int(float(row['AcceleratorCount'] or 0))
        self.vcpus = float(row['vCPUs'])
        self.memory = float(row['MemoryGiB'])
        self.price = float(row['Price'])
        self.region = row['Region']
        self.spot_price = float(row['SpotPrice']) if row.get('SpotPrice') else None
        self.device_memory_gb = None
        info = row.get('GpuInfo') or ''
        if info:
            try:
                parsed = ast.literal_eval(info)
                mib = parsed['Gpus'][0]['MemoryInfo']['SizeInMiB']
                self.device_memory_gb = mib / 1024 if mib else None
            except (ValueError, SyntaxError, KeyError, IndexError, TypeError):
                pass

    def hourly(self, spot):
        return self.spot_price if spot else self.price


def load(path=None):
    path = path or os.environ.get('FAKE_SKY_CATALOG') or DEFAULT_PATH
    try:
        with open(path, 'r', encoding='utf-8', newline='') as f:
            return [Offer(row) for row in csv.DictReader(f)]
    except OSError as e:
        raise SystemExit(f'fake sky: cannot read the Nebius catalog {path}: {e}')


def regions(offers):
    return sorted({o.region for o in offers})


def number(value):
    return str(int(value)) if float(value).is_integer() else f'{value:g}'


def parse_accelerator(text):
    """'H100:8' -> ('H100', 8); 'H100' -> ('H100', 1)."""
    text = str(text).strip().strip('"\'')
    if ':' in text:
        name, count = text.split(':', 1)
        try:
            value = float(count)
        except ValueError:
            raise SkyError('ValueError', f'Invalid accelerator count in {text!r}.')
        return name.strip(), int(value) if value.is_integer() else value
    return text, 1


def canonical_name(offers, name):
    for o in offers:
        if o.accelerator and o.accelerator.lower() == name.lower():
            return o.accelerator
    return name


def candidates(offers, accelerator, count, region, spot, instance_type=None):
    """Feasible (offer) rows, cheapest first, for one accelerator request."""
    rows = []
    for o in offers:
        if region and o.region != region:
            continue
        if instance_type:
            if o.instance_type != instance_type:
                continue
        elif accelerator is None:
            if o.instance_type != DEFAULT_CPU_INSTANCE:
                continue
        elif not o.accelerator or o.accelerator.lower() != accelerator.lower() or o.count != count:
            continue
        if o.hourly(spot) is None:
            continue
        rows.append(o)
    rows.sort(key=lambda o: (o.hourly(spot), o.region, o.instance_type))
    return rows


def resources_repr(accelerator, count, region, spot):
    parts = []
    if accelerator:
        parts.append(f"{{'{accelerator}': {count}}}")
    if spot:
        parts.append('[Spot]')
    if region:
        parts.append(f'region={region}')
    return f"Nebius({', '.join(parts)})" if parts else 'Nebius()'


def plan(offers, requests, region, spot, num_nodes, instance_type=None):
    """The optimizer: one row per requested accelerator option (cheapest placement), cheapest chosen.

    requests: list of (accelerator or None, count). Raises ResourcesUnavailableError when nothing
    in the catalog satisfies any of them.
    """
    rows = []
    for accelerator, count in requests:
        found = candidates(offers, accelerator, count, region, spot, instance_type)
        if found:
            rows.append((found[0], accelerator, count))
    if not rows:
        accelerator, count = requests[0]
        what = resources_repr(accelerator, count, region, spot)
        raise SkyError('sky.exceptions.ResourcesUnavailableError',
                       f'Catalog does not contain any instances satisfying the request: {num_nodes}x {what}.\n'
                       'To fix: relax or change the resource requirements.\n\n'
                       'Hint: sky show-gpus to list available accelerators.\n'
                       '      sky check to check the enabled clouds.')
    rows.sort(key=lambda r: r[0].hourly(spot))
    return rows


def gpu_offers(offers, name=None, count=None, region=None, all_regions=False):
    """show-gpus rows for one accelerator name: lowest price across regions unless all_regions."""
    chosen = {}
    for o in offers:
        if not o.accelerator:
            continue
        if name and o.accelerator.lower() != name.lower():
            continue
        if count is not None and o.count != count:
            continue
        if region and o.region != region:
            continue
        key = (o.instance_type, o.region) if all_regions else o.instance_type
        best = chosen.get(key)
        if best is None or (o.price, o.region) < (best.price, best.region):
            chosen[key] = o
    rows = list(chosen.values())
    rows.sort(key=lambda o: (o.accelerator, o.count, o.price, o.region))
    return rows


def gpu_table_rows(rows, show_region=True):
    out = []
    for o in rows:
        device = f'{o.device_memory_gb:.0f}GB' if o.device_memory_gb else '-'
        spot = f'$ {o.spot_price:.3f}' if o.spot_price is not None else '-'
        row = [o.accelerator, str(o.count), 'Nebius', o.instance_type, device, number(o.vcpus),
               f'{number(o.memory)}GB', f'$ {o.price:.3f}', spot]
        if show_region:
            row.append(o.region)
        out.append(row)
    return out


GPU_HEADERS = ['GPU', 'QTY', 'CLOUD', 'INSTANCE_TYPE', 'DEVICE_MEM', 'vCPUs', 'HOST_MEM', 'HOURLY_PRICE',
               'HOURLY_SPOT_PRICE', 'REGION']


def quantities(offers, region=None):
    result = {}
    for o in offers:
        if o.accelerator and (not region or o.region == region):
            result.setdefault(o.accelerator, set()).add(o.count)
    return {name: sorted(counts) for name, counts in sorted(result.items())}
