"""A logging filter that escapes control characters (settings LOGGING, on every handler).

Input quoted in a log line (a request path with %0d%0a or %1b, a header, an exception message that
repeats what it was given) must not forge log lines or drive the operator's terminal: CR, LF, ESC and
the other C0/C1 controls are written as \\r, \\n, \\x1b. A traceback keeps its own line breaks; the
exception messages in it are escaped like the message.
"""

import logging
import re
import traceback

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # all but TAB
TRACEBACK_STRUCTURE = (
    "Traceback (most recent call last):",
    "  File ",
    "  [Previous line repeated",
    "\nDuring handling of the above exception",
    "\nThe above exception",
)


def escape(text):
    return CONTROL_CHARACTERS.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def format_exception(exc_info):
    """The traceback with each exception's message escaped; frames (our source lines) are kept."""
    chunks = []
    for chunk in traceback.TracebackException(*exc_info).format():
        if chunk.startswith(TRACEBACK_STRUCTURE):
            chunks.append(
                CONTROL_CHARACTERS.sub(
                    lambda match: match.group() if match.group() == "\n" else escape(match.group()), chunk
                )
            )
        else:
            chunks.append(escape(chunk.removesuffix("\n")) + "\n")
    return "".join(chunks).rstrip("\n")


class EscapeControlCharacters(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: the handler reports it as usual
            return True
        record.msg, record.args = escape(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = format_exception(record.exc_info)
        return True
