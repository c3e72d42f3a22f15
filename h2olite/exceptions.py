"""The exceptions h2o-py raises, with the same names and base classes."""
from __future__ import annotations


class H2OError(Exception):
    """Base class of every h2olite error."""


class H2OSoftError(H2OError):
    pass


class H2OValueError(H2OSoftError, ValueError):
    """A bad argument value, found in the client before anything is sent."""

    def __init__(self, message, var_name=None, skip_frames=0):
        super().__init__(message)
        self.var_name = var_name


class H2OTypeError(H2OSoftError, TypeError):
    """An argument of the wrong type, found in the client before anything is sent."""

    def __init__(self, var_name=None, var_value=None, var_type_name=None, exp_type_name=None,
                 message=None, skip_frames=0):
        if message is None:
            message = f"Argument `{var_name}` should be {exp_type_name}, got {var_type_name} {var_value!r}"
        super().__init__(message)
        self.var_name = var_name


class H2OResponseError(H2OError, EnvironmentError):
    """The backend refused a request (HTTP 4xx); the message is the backend's."""

    def __init__(self, message, response_json=None, http_status=None):
        super().__init__(message)
        self.response_json = response_json or {}
        self.http_status = http_status

    def __str__(self):
        return self.args[0]


class H2OServerError(H2OError):
    """The backend failed unexpectedly (HTTP 5xx)."""


class H2OConnectionError(H2OError):
    """No backend answers at the given address."""


class H2OJobCancelled(H2OError):
    """A job was cancelled (for example by Ctrl-C in the client)."""


class H2ODeprecationWarning(DeprecationWarning):
    pass
