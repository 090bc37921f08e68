"""A click-like argument parser: the same options, the same usage errors, the same exit code (2)."""
from .errors import UsageError


class Opt:
    def __init__(self, names, dest, kind='flag', type=str, multiple=False, choices=None, negs=(), default=None):
        self.names = names
        self.dest = dest
        self.kind = kind          # 'flag' or 'value'
        self.type = type
        self.multiple = multiple
        self.choices = choices
        self.negs = negs          # names that set a flag to False (--no-follow)
        self.default = default if default is not None else ([] if multiple else (False if kind == 'flag' else None))

    def label(self):
        return ' / '.join(f"'{n}'" for n in self.names)


class Arg:
    def __init__(self, name, nargs='1', type=str):
        self.name = name          # dest; the metavar is name.upper()
        self.nargs = nargs        # '1', '?', '*'
        self.type = type

    def metavar(self):
        return self.name.upper()


class Command:
    def __init__(self, path, handler, opts=(), args=(), help_text=''):
        self.path = path          # ('jobs', 'launch')
        self.handler = handler
        self.opts = list(opts)
        self.args = list(args)
        self.help_text = help_text

    def name(self):
        return 'sky ' + ' '.join(self.path)

    def usage(self):
        parts = [self.name(), '[OPTIONS]']
        for a in self.args:
            if a.nargs == '1':
                parts.append(a.metavar())
            elif a.nargs == '?':
                parts.append(f'[{a.metavar()}]')
            else:
                parts.append(f'[{a.metavar()}]...')
        return 'Usage: ' + ' '.join(parts)


HELP = Opt(['-h', '--help'], 'help')
CONFIG = Opt(['--config'], 'config', kind='value', multiple=True)


def _convert(opt_label, value, type_):
    if type_ is int:
        try:
            return int(value)
        except ValueError:
            raise UsageError(f"Invalid value for {opt_label}: {value!r} is not a valid integer.")
    if type_ is float:
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"Invalid value for {opt_label}: {value!r} is not a valid float.")
    return value


def parse(command, argv):
    """Returns a dict of option/argument values for `command`, or raises UsageError."""
    opts = [HELP, CONFIG] + command.opts
    by_name = {}
    for opt in opts:
        for n in opt.names:
            by_name[n] = (opt, True)
        for n in opt.negs:
            by_name[n] = (opt, False)
    values = {opt.dest: (list(opt.default) if opt.multiple else opt.default) for opt in opts}
    positionals = []

    def store(opt, value):
        if opt.kind == 'value':
            if opt.choices and value not in opt.choices:
                choices = ', '.join(f"'{c}'" for c in opt.choices)
                raise UsageError(f"Invalid value for {opt.label()}: {value!r} is not one of {choices}.")
            value = _convert(opt.label(), value, opt.type)
        if opt.multiple:
            values[opt.dest].append(value)
        else:
            values[opt.dest] = value

    i = 0
    only_positional = False
    while i < len(argv):
        token = argv[i]
        i += 1
        if only_positional or token == '-' or not token.startswith('-'):
            positionals.append(token)
            continue
        if token == '--':
            only_positional = True
            continue
        if token.startswith('--'):
            name, eq, inline = token.partition('=')
            if name not in by_name:
                raise UsageError(f'No such option: {name}')
            opt, positive = by_name[name]
            if opt.kind == 'flag':
                if eq:
                    raise UsageError(f'Option {name!r} does not take a value.')
                values[opt.dest] = positive
                continue
            if eq:
                store(opt, inline)
            elif i < len(argv):
                store(opt, argv[i])
                i += 1
            else:
                raise UsageError(f"Option {name!r} requires an argument.")
            continue
        # Short options, possibly combined (-yd) or with an attached value (-i5).
        if token in by_name:
            chars = [token]
        else:
            chars = ['-' + c for c in token[1:]]
        for index, name in enumerate(chars):
            if name not in by_name:
                raise UsageError(f'No such option: {name}')
            opt, positive = by_name[name]
            if opt.kind == 'flag':
                values[opt.dest] = positive
                continue
            rest = ''.join(c[1:] for c in chars[index + 1:])
            if rest:
                store(opt, rest)
            elif i < len(argv):
                store(opt, argv[i])
                i += 1
            else:
                raise UsageError(f"Option {name!r} requires an argument.")
            break

    if values.get('help'):
        return values

    # Positional arguments, left to right.
    for index, arg in enumerate(command.args):
        if arg.nargs == '*':
            fixed_after = sum(1 for a in command.args[index + 1:] if a.nargs == '1')
            take = positionals[:max(0, len(positionals) - fixed_after)]
            positionals = positionals[len(take):]
            values[arg.name] = [_convert(arg.metavar(), v, arg.type) for v in take]
        elif arg.nargs == '?':
            values[arg.name] = _convert(arg.metavar(), positionals.pop(0), arg.type) if positionals else None
        else:
            if not positionals:
                raise UsageError(f"Missing argument '{arg.metavar()}'.")
            values[arg.name] = _convert(arg.metavar(), positionals.pop(0), arg.type)
    if positionals:
        noun = 'argument' if len(positionals) == 1 else 'arguments'
        raise UsageError(f'Got unexpected extra {noun} ({" ".join(positionals)})')
    return values


def help_text(command):
    lines = [command.usage(), '']
    if command.help_text:
        lines += ['  ' + command.help_text, '']
    lines.append('Options:')
    for opt in [HELP] + command.opts:
        names = ', '.join(opt.names + list(opt.negs))
        lines.append(f'  {names}')
    return '\n'.join(lines)
