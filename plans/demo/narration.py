"""Narration for the demo media: a script (who says what, in which chapter) spoken by espeak-ng.

Each sentence is synthesised on its own, so the timeline knows exactly when every sentence starts and
ends: chapters, the transcript's WebVTT cues and the film's scenes are all timed from it, not estimated.
The podcast episode is the script spoken by two voices (host and guest) after a short synthesised intro.
"""

import html
import io
import re
import subprocess
import wave
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from media_pipeline import generate

RATE = 22050  # espeak-ng's own sample rate (mono, 16 bit)
PAUSE_SENTENCE, PAUSE_TURN = 0.35, 0.7
INTRO_SECONDS = 4.0
TAIL_SECONDS = 1.0
VOICES = {  # espeak-ng voice+variant, pitch, words per minute
    ("fa", "host"): ("fa+f3", 62, 150),
    ("fa", "guest"): ("fa+m3", 38, 145),
    ("en", "host"): ("en-us+f3", 60, 160),
    ("en", "guest"): ("en-gb+m3", 40, 155),
}
SPEAKER_NAMES = {"fa": {"host": "مجری", "guest": "مهمان"}, "en": {"host": "Host", "guest": "Guest"}}
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def sentences(text):
    """Plain sentences from rich text: list items and paragraphs are sentences of their own."""
    text = re.sub(r"</(li|p|h\d)>", ".\n", text or "")
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    result = []
    for line in text.split("\n"):
        for sentence in SENTENCE_END.split(line.strip()):
            sentence = re.sub(r"\s+", " ", sentence).strip().rstrip(".") + "."
            if len(sentence) > 2:
                result.append(re.sub(r"([.!?؟:])\.$", r"\1", sentence))
    return result


@dataclass
class Line:
    speaker: str  # host | guest
    text: str
    chapter: str = ""  # a chapter starts with this line


@dataclass
class Cue:
    start: float
    end: float
    speaker: str
    text: str


@dataclass
class Timeline:
    seconds: float = 0.0
    cues: list = field(default_factory=list)
    chapters: list = field(default_factory=list)  # [(start seconds, title)]


@lru_cache(maxsize=2048)
def speak(text, language, speaker):
    """16-bit mono PCM of `text` spoken by the speaker's voice."""
    voice, pitch, speed = VOICES[(language, speaker)]
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "--stdout", text],
        capture_output=True,
        check=True,
        timeout=120,
    )
    # the WAV header on a pipe has no real sizes: the samples are everything after the 44-byte header
    with wave.open(io.BytesIO(result.stdout)) as reader:
        assert (reader.getframerate(), reader.getsampwidth(), reader.getnchannels()) == (RATE, 2, 1)
    return result.stdout[44:]


def silence(seconds):
    return b"\0\0" * max(0, round(RATE * seconds))


def intro(folder):
    """A four-second synthesised signature: a rising three-note chime that fades out."""
    path = Path(folder, "intro.wav")
    generate.chime(path, seconds=INTRO_SECONDS, sample_rate=RATE)
    with wave.open(str(path)) as reader:
        return reader.readframes(reader.getnframes())


def gap(line, previous):
    """The pause before `line`: longer between chapters and between speakers than between sentences."""
    if previous is None:
        return 0.0
    return PAUSE_TURN if line.chapter or line.speaker != previous.speaker else PAUSE_SENTENCE


def aligned_starts(scripts, lead_in_seconds):
    """Chapter start times shared by every language of `scripts` ({language: lines}, the same chapters
    in each): every chapter lasts as long as its longest telling, so one list of chapters (the pages'
    chapter times are synchronised across translations) fits each language's audio. Returns (starts,
    seconds)."""
    lengths = []
    for language, lines in scripts.items():
        durations, previous = [], None
        for line in lines:
            if line.chapter:
                durations.append(0.0)
            else:
                durations[-1] += gap(line, previous)
            durations[-1] += len(speak(line.text, language, line.speaker)) / 2 / RATE
            previous = line
        lengths.append(durations)
    starts, cursor = [], lead_in_seconds
    for longest in map(max, zip(*lengths, strict=True)):
        starts.append(cursor)
        cursor += longest + PAUSE_TURN
    return starts, cursor - PAUSE_TURN + TAIL_SECONDS


def render(lines, language, path, lead_in=b"", starts=None, seconds=None):
    """Speak `lines` after `lead_in` into a WAV at `path`; return the Timeline. With `starts` (from
    `aligned_starts`) each chapter begins at its shared time, and `seconds` pads the end."""
    pcm, timeline = bytearray(lead_in), Timeline()
    previous = None
    for line in lines:
        pcm += silence(gap(line, previous))
        if line.chapter and starts:
            pcm += silence(starts[len(timeline.chapters)] - len(pcm) / 2 / RATE)
        start = len(pcm) / 2 / RATE
        if line.chapter:
            timeline.chapters.append((start, line.chapter))
        pcm += speak(line.text, language, line.speaker)
        timeline.cues.append(Cue(start, len(pcm) / 2 / RATE, line.speaker, line.text))
        previous = line
    pcm += silence(max(TAIL_SECONDS, (seconds or 0) - len(pcm) / 2 / RATE))
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(bytes(pcm))
    timeline.seconds = len(pcm) / 2 / RATE
    return timeline


def timestamp(seconds):
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{rest:06.3f}"


def chapter_start(seconds):
    """The chapter block's mm:ss (rounded down, so a chapter button never skips its first words)."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes:02d}:{rest:02d}"


def webvtt(cues, language, voices=True):
    """A WebVTT document of the cues; with `voices`, each cue names its speaker (<v Host>)."""
    names = SPEAKER_NAMES[language]
    blocks = ["WEBVTT"]
    for cue in cues:
        text = f"<v {names[cue.speaker]}>{cue.text}" if voices else cue.text
        blocks.append(f"{timestamp(cue.start)} --> {timestamp(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def transcript(lines, language):
    """The page's plain transcript: one paragraph per speaker turn, "Host: …"."""
    names, paragraphs = SPEAKER_NAMES[language], []
    for line in lines:
        if paragraphs and paragraphs[-1][0] == line.speaker and not line.chapter:
            paragraphs[-1][1].append(line.text)
        else:
            paragraphs.append((line.speaker, [line.text]))
    return "\n".join(f"{names[speaker]}: {' '.join(texts)}" for speaker, texts in paragraphs)
