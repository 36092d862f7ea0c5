"""Synthetic media made locally with ffmpeg's lavfi sources: for the demo, the tests and the benchmarks.

These inputs are ours (no user data), so they do not go through the hardened runner.
"""

import subprocess


def _ffmpeg(*arguments):
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *map(str, arguments)],
        check=True,
        timeout=300,
    )


def audio(path, seconds=2.0, frequency=440, volume=0.2):
    """A tone (with a slow tremolo, so loudness normalisation has something to do) in any container."""
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100",
        "-af",
        f"volume={volume},tremolo=f=2:d=0.4",
        "-metadata",
        "artist=Revayat",
        "-metadata",
        "title=Demo tone",
        path,
    )
    return path


def video(path, seconds=2.0, size="640x360", rate=25, with_audio=True):
    """A moving test pattern with a clock, optionally with a tone, in any container."""
    inputs = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if with_audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}:sample_rate=44100"]
    codec = (
        ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        if str(path).endswith((".mp4", ".mov", ".mkv"))
        else []
    )
    _ffmpeg(*inputs, *codec, *(["-c:a", "aac"] if with_audio and codec else []), "-shortest", path)
    return path


def chime(path, seconds=4.0, sample_rate=22050):
    """A rising three-note chime (C–E–G, each note decaying) that fades out: a podcast signature."""
    note = "0.3*sin(2*PI*t*{f})*exp(-2.5*(t-{s}))*gte(t,{s})"
    expression = "+".join(note.format(f=f, s=s) for f, s in ((523.25, 0), (659.25, 0.5), (783.99, 1.0)))
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"aevalsrc='{expression}':s={sample_rate}:d={seconds}",
        "-af",
        f"afade=t=out:st={seconds - 1.5}:d=1.5",
        "-ac",
        "1",
        "-c:a",
        "pcm_s16le",
        path,
    )
    return path
