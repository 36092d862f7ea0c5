"""Channel credentials: from a secrets file or the environment, never from the database or the admin.

`REVAYAT_SECRETS_FILE` (a JSON object {name: {key: value}}) is read first; otherwise the environment
variable `REVAYAT_CHANNEL_<NAME>` (name upper-cased, "-" → "_") holds a JSON object, or a bare value for
the adapter's first required key (a bot token, the webhook's secret).
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class CredentialsError(Exception):
    """The channel's credentials are missing or malformed (the message never contains a secret)."""


def env_name(channel):
    return "REVAYAT_CHANNEL_" + channel.credentials_name.upper().replace("-", "_")


def _from_secrets_file(name):
    path = getattr(settings, "REVAYAT_SECRETS_FILE", "")
    if not path or not Path(path).is_file():
        return None
    try:
        secrets = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as error:
        raise CredentialsError(
            _("The secrets file %(path)s is not valid JSON (line %(line)s)")
            % {"path": path, "line": error.lineno}
        ) from None
    value = secrets.get(name) if isinstance(secrets, dict) else None
    if value is not None and not isinstance(value, dict):
        raise CredentialsError(_("The secrets file's entry “%(name)s” must be an object") % {"name": name})
    return value


def credentials_for(channel):
    """{key: value} for the channel; raises CredentialsError naming what is missing."""
    from cms.distribution.channels import adapter_class

    required = adapter_class(channel.kind).required_credentials
    found = _from_secrets_file(channel.credentials_name)
    if found is None:
        raw = os.environ.get(env_name(channel), "").strip()
        if raw.startswith("{"):
            try:
                found = json.loads(raw)
            except ValueError:
                raise CredentialsError(
                    _("%(variable)s is not valid JSON") % {"variable": env_name(channel)}
                ) from None
        else:
            found = {required[0]: raw} if raw else {}
    missing = [key for key in required if not found.get(key)]
    if missing:
        raise CredentialsError(
            _("Missing credentials for “%(channel)s”: %(keys)s (set %(variable)s or the secrets file)")
            % {"channel": channel, "keys": ", ".join(missing), "variable": env_name(channel)}
        )
    return found


def credentials_status(channel):
    """("ok" | the error message) for the admin: never the values themselves."""
    try:
        credentials_for(channel)
    except CredentialsError as error:
        return str(error)
    return "ok"
