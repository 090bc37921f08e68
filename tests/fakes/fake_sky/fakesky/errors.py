"""The two ways the real CLI fails: click usage errors (exit 2) and Python exceptions (exit 1)."""


class SkyError(Exception):
    """An exception the real CLI prints without a traceback: '<qualified class>: <message>', exit 1."""

    def __init__(self, kind, message, exit_code=1):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.exit_code = exit_code

    def render(self):
        return f'{self.kind}: {self.message}'


class UsageError(Exception):
    """A click usage error: usage line, hint line, blank line, 'Error: …', exit 2."""

    def __init__(self, message, command_path=None, usage=None):
        super().__init__(message)
        self.message = message
        self.command_path = command_path
        self.usage = usage


def cluster_does_not_exist(name):
    return SkyError('sky.exceptions.ClusterDoesNotExist', f'Cluster {name!r} does not exist.')


def cluster_not_up(name, status):
    return SkyError('sky.exceptions.ClusterNotUpError',
                    f'Cluster {name!r} with status {status} is not up. '
                    'Use `sky status` to check the status.')


def autodown_not_supported():
    return SkyError('sky.exceptions.NotSupportedError',
                    'The following features are not supported by Nebius:\n'
                    '\tFeature   Reason                                         \n'
                    "\tautodown  Autodown not supported. Can't delete OS disk.  ")
