"""The demo motion-graphic film: five cards of a plan, narrated, with subtitles timed to the narration.

The narration is rendered first; each card stays on screen while its sentences are spoken, and the KPI
bars grow during the card's first two seconds. Frames go to ffmpeg as raw RGB over a pipe (no files per
frame) at a low frame rate: the cards are still pictures, and the pipeline's HLS keeps whole GOPs. The
film is a master the pipeline encodes again, so its audio uses the fast AAC coder at a higher bitrate
(half the time of the default coder; the published AAC is the pipeline's).
"""

import re
import subprocess
import threading
from pathlib import Path

from plans.demo import artwork, narration
from plans.demo.narration import Cue, Line

SIZE, FPS = (1280, 720), 10  # the cards are drawn at this size
OUTPUT_HEIGHT = 720  # and scaled to this height (the test makes a 360p film: one rendition less)
MIN_SECONDS, MAX_SECONDS = 62, 118
ANIMATION_SECONDS = 2.0
# Two films may be made at once (`generated.prepare`); they share the cached FreeType faces, which
# are not safe to use from two threads, so drawing takes turns (it is a small part of a film's time).
DRAWING = threading.Lock()
# Mastered as a studio would deliver it: speech evened out (espeak-ng peaks high), then one gain to
# -16 LUFS and a limiter under -3.5 dBFS (true peak about -3 dBTP).
COMPRESSOR = "acompressor=threshold=-24dB:ratio=4:attack=5:release=80:makeup=2"
LOUDNESS, PEAK_DB = -16, -3.5


def mastering(wav):
    """The ffmpeg audio filter that masters the narration `wav`.

    Why a measured gain and a limiter, not loudnorm: loudnorm's dynamic mode resamples to 192 kHz and
    took 2.5 times as long as this (compress and measure with ebur128, then compress, gain and limit),
    for a master the pipeline normalises again anyway. The peaks stay well under the pipeline's
    -1.5 dBTP, so its loudnorm keeps its linear mode (one gain); at -1.5 dBTP a +0.2 LU correction fell
    back to the dynamic mode and made each of the pipeline's encodes 2-3 s slower."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(wav),
         "-af", f"{COMPRESSOR},ebur128=framelog=verbose", "-f", "null", "-"],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    text = result.stderr.decode("utf-8", "replace")
    measured = float(re.search(r"I:\s+(-?[\d.]+) LUFS", text[text.rfind("Summary:") :]).group(1))
    limit = 10 ** (PEAK_DB / 20)
    return f"{COMPRESSOR},volume={LOUDNESS - measured:.2f}dB,alimiter=limit={limit:.3f}:level=0"


RENDERERS = {
    "title": artwork.title_card,
    "facts": artwork.list_card,
    "goals": artwork.list_card,
    "closing": artwork.closing_card,
}


def scene_lines(scenes, language):
    """The narration: the first sentence of each card by the host, the rest by the guest."""
    lines = []
    for scene in scenes:
        for index, text in enumerate(scene.narration[language]):
            lines.append(
                Line("host" if index == 0 else "guest", text, chapter=scene.kind if index == 0 else "")
            )
    return lines


def trim(scenes):
    """Drop the last item of the longest list (goals, facts, KPIs): the film runs over two minutes."""
    for kind, key in (("goals", "items"), ("facts", "items"), ("kpis", "rows")):
        scene = next(s for s in scenes if s.kind == kind)
        if len(scene.content["fa"][key]) > 2:
            for lang in scene.content:
                scene.content[lang][key] = scene.content[lang][key][:-1]
                scene.narration[lang] = scene.narration[lang][:-1]
            return True
    return False


def narrate(scenes, language, folder):
    """Render the narration; returns (wav path, timeline, scene start times). The cards change at the
    same times in every language (see `narration.aligned_starts`), and the film lasts 62–118 s."""
    lead_in = narration.intro(folder)
    lead_seconds = len(lead_in) / 2 / narration.RATE
    while True:
        scripts = {lang: scene_lines(scenes, lang) for lang in scenes[0].narration}
        starts, seconds = narration.aligned_starts(scripts, lead_seconds)
        if seconds <= MAX_SECONDS or not trim(scenes):
            break
    wav = Path(folder, "narration.wav")
    timeline = narration.render(scripts[language], language, wav, lead_in, starts, max(seconds, MIN_SECONDS))
    return wav, timeline, [0.0, *starts[1:]]


def render_film(number, scenes, language, folder):
    """Write film.mp4 (H.264/AAC) into `folder`; returns (path, timeline, scene starts)."""
    wav, timeline, starts = narrate(scenes, language, folder)
    path = Path(folder, "film.mp4")
    command = [
        "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{SIZE[0]}x{SIZE[1]}", "-r", str(FPS), "-i", "-",
        "-i", str(wav), "-vf", f"scale=-2:{OUTPUT_HEIGHT}",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-crf", "18", "-pix_fmt", "yuv420p",
        "-af", mastering(wav), "-ar", "44100", "-c:a", "aac", "-aac_coder", "fast", "-b:a", "192k",
        "-shortest", "-movflags", "+faststart", str(path),
    ]  # fmt: skip
    still = {}
    with subprocess.Popen(command, stdin=subprocess.PIPE) as encoder:
        for frame in range(int(timeline.seconds * FPS) + 1):
            t = frame / FPS
            index = max(i for i, start in enumerate(starts) if start <= t)
            scene = scenes[index]
            content = scene.content[language]
            if scene.kind == "kpis" and t - starts[index] < ANIMATION_SECONDS:
                progress = (t - starts[index]) / ANIMATION_SECONDS
                eased = 1 - (1 - progress) ** 3
                with DRAWING:
                    picture = artwork.kpi_card(number, content, language, eased, SIZE).tobytes()
            else:
                if index not in still:
                    with DRAWING:
                        if scene.kind == "kpis":
                            card = artwork.kpi_card(number, content, language, 1.0, SIZE)
                        else:
                            card = RENDERERS[scene.kind](number, content, language, SIZE)
                    still[index] = card.tobytes()
                picture = still[index]
            encoder.stdin.write(picture)
        encoder.stdin.close()
        if encoder.wait(timeout=600):
            raise RuntimeError(f"ffmpeg could not encode the film ({encoder.returncode})")
    return path, timeline, starts


def subtitles(scenes, language, timeline, starts):
    """WebVTT per language: the narration's language cue by cue as spoken; the other language's sentences
    share out their card's spoken time in proportion to their length."""
    tracks = {language: narration.webvtt(timeline.cues, language, voices=False)}
    for other in ("fa", "en"):
        if other == language:
            continue
        cues = []
        for index, scene in enumerate(scenes):
            until = starts[index + 1] if index + 1 < len(starts) else timeline.seconds
            spoken = [cue for cue in timeline.cues if starts[index] <= cue.start < until]
            if not spoken:
                continue
            begin, end = spoken[0].start, spoken[-1].end
            texts = scene.narration[other]
            total = sum(len(t) for t in texts) or 1
            cursor = begin
            for text in texts:
                length = (end - begin) * len(text) / total
                cues.append(Cue(cursor, cursor + length, "guest", text))
                cursor += length
        tracks[other] = narration.webvtt(cues, other, voices=False)
    return tracks
