"""WebVTT subtitles: validation and right-to-left safety.

A browser lays out each cue with the Unicode bidi algorithm, starting from the cue's first strong
character: a Persian cue that starts with a number or a Latin word ("2024 ...", "SSO ...") would be laid out
left-to-right and its punctuation would jump to the wrong end. Each Persian cue line therefore starts
with a RIGHT-TO-LEFT MARK (U+200F), which fixes the base direction without changing what is read.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from media_pipeline.conf import limit

RLM = "\u200f"
TIMING = re.compile(
    r"^(?P<start>(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})\s+-->\s+(?P<end>(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3})"
    r"(?P<settings>\s+.*)?$"
)
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings/overrides/isolates pasted in


def seconds(timestamp):
    parts = [float(part) for part in timestamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def parse(text):
    """The cues of a WebVTT document as [(start, end, [lines])]; ValidationError if it is not WebVTT."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise ValidationError(
            _("This is not a WebVTT file: the first line must be “WEBVTT”."), code="not_webvtt"
        )
    cues, index = [], 1
    while index < len(lines):
        match = TIMING.match(lines[index].strip())
        if match:
            start, end = seconds(match["start"]), seconds(match["end"])
            if end <= start:
                raise ValidationError(
                    _("Line %(line)d: a cue must end after it starts.") % {"line": index + 1}, code="timing"
                )
            body = []
            index += 1
            while index < len(lines) and lines[index].strip():
                body.append(lines[index])
                index += 1
            cues.append((start, end, body))
        elif "-->" in lines[index]:
            raise ValidationError(
                _("Line %(line)d: the cue timing is not valid (expected 00:00:01.000 --> 00:00:04.000).")
                % {"line": index + 1},
                code="timing",
            )
        index += 1
    if not cues:
        raise ValidationError(_("The WebVTT file has no cues."), code="no_cues")
    return cues


def clean_webvtt(data, language):
    """Validate WebVTT bytes and return the text to store (UTF-8, RTL-safe cues for RTL languages)."""
    if len(data) > limit("MAX_SUBTITLE_BYTES"):
        raise ValidationError(_("The subtitle file is too big."), code="too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The subtitle file must be UTF-8 text."), code="encoding") from error
    parse(text)
    if not get_language_info(language)["bidi"]:  # Django's LANGUAGES_BIDI
        return text
    output, in_cue = [], False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if TIMING.match(line.strip()):
            in_cue = True
            output.append(line)
        elif in_cue and line.strip():
            output.append(RLM + BIDI_CONTROLS.sub("", line).lstrip(RLM))
        else:
            in_cue = False
            output.append(line)
    return "\n".join(output)
