"""ffmpeg and ffprobe as hardened subprocesses.

Only the `file` protocol and the demuxers of the formats we accept are allowed (no network, no playlists
or `concat:` that could read other local files), stdin is closed, and the
child runs with limits on CPU time (RLIMIT_CPU), output file size (RLIMIT_FSIZE) and wall-clock time.
Progress is read from `-progress pipe:1` and reported as a fraction of the input's duration.
"""

import json
import math
import subprocess
import tempfile
import threading

from media_pipeline.conf import limit

INPUT_FORMATS = "mov,mp3,matroska,wav,ogg,flac,aac"
INPUT_HARDENING = ["-protocol_whitelist", "file", "-format_whitelist", INPUT_FORMATS]


class FFmpegError(RuntimeError):
    """ffmpeg or ffprobe failed; the message carries the end of its error output."""


def _limited(command, cpu_seconds, max_output_bytes):
    """`command` run under util-linux's `prlimit`: the limits are set in the child by prlimit, which then
    execs the command (the same process). Not `preexec_fn`: Python code in a child forked from a thread
    (the pipeline encodes in threads) first tears down the other threads' state, whose objects' finalizers
    then run in the child: WeasyPrint's font folder, shared on disk with the parent, was deleted so."""
    return [
        "prlimit",
        f"--cpu={math.ceil(cpu_seconds)}",
        f"--fsize={int(max_output_bytes)}",
        "--core=0",
        "--",
        *command,
    ]


def probe(path):
    """ffprobe's view of a local file: {"format": {...}, "streams": [...]}; FFmpegError if unreadable."""
    command = [
        "ffprobe",
        "-hide_banner",
        *INPUT_HARDENING,
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        str(path),
    ]
    try:
        result = subprocess.run(
            _limited(command, limit("PROBE_TIMEOUT"), 1024**2),
            capture_output=True,
            timeout=limit("PROBE_TIMEOUT"),
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise FFmpegError("ffprobe timed out") from error
    if result.returncode:
        raise FFmpegError(result.stderr.decode("utf-8", "replace").strip()[-500:] or "ffprobe failed")
    return json.loads(result.stdout or b"{}")


def harden_inputs(arguments):
    """The arguments with the protocol and demuxer whitelists in front of every `-i`."""
    hardened = []
    for argument in map(str, arguments):
        if argument == "-i":
            hardened += INPUT_HARDENING
        hardened.append(argument)
    return hardened


def run(arguments, duration=None, on_progress=None):
    """Run ffmpeg with `arguments` (inputs and outputs are local paths) under the configured caps.

    `on_progress(fraction)` is called as ffmpeg reports its position in a `duration`-second input.
    """
    command = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-progress",
        "pipe:1",
        "-nostats",
        *harden_inputs(arguments),
    ]
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a chatty ffmpeg cannot block
        process = subprocess.Popen(
            _limited(command, limit("FFMPEG_CPU_SECONDS"), limit("FFMPEG_MAX_OUTPUT_BYTES")),
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
        timed_out = threading.Event()

        def stop():
            timed_out.set()
            process.kill()

        timer = threading.Timer(limit("FFMPEG_TIMEOUT"), stop)  # wall clock, even when ffmpeg is silent
        timer.start()
        try:
            for line in process.stdout:
                key, _, value = line.decode("ascii", "replace").strip().partition("=")
                if key == "out_time_us" and on_progress and duration and value.isdigit():
                    on_progress(min(1.0, int(value) / 1e6 / float(duration)))
            process.wait()
        finally:
            timer.cancel()
        if timed_out.is_set():
            raise FFmpegError("ffmpeg took longer than the configured time limit")
        stderr.seek(max(0, stderr.seek(0, 2) - 4000))
        errors = stderr.read().decode("utf-8", "replace").strip()
    if process.returncode:
        if process.returncode < 0:
            errors = f"stopped by signal {-process.returncode} (CPU or output-size limit?) {errors}"
        raise FFmpegError(errors[-800:] or f"ffmpeg exited with {process.returncode}")
    return errors


def loudness(path):
    """Integrated loudness of a local file in LUFS (EBU R128), measured by ffmpeg's ebur128 filter."""
    command = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-v",
        "info",
        *INPUT_HARDENING,
        "-i",
        str(path),
        "-af",
        "ebur128",
        "-f",
        "null",
        "-",
    ]
    result = subprocess.run(
        _limited(command, limit("FFMPEG_CPU_SECONDS"), 1024**2),
        capture_output=True,
        timeout=limit("FFMPEG_TIMEOUT"),
        check=False,
        stdin=subprocess.DEVNULL,
    )
    text = result.stderr.decode("utf-8", "replace")
    if result.returncode or "Summary:" not in text:
        raise FFmpegError(f"Could not measure loudness: {text.strip()[-300:]}")
    for line in text[text.rfind("Summary:") :].splitlines():
        if line.strip().startswith("I:"):
            return float(line.split()[1])
    raise FFmpegError("ebur128 reported no integrated loudness")


def ends_early(path, duration):
    """True when the packets of a local file stop well before the duration its header announces."""
    start = max(0.0, duration - 2)
    command = [
        "ffprobe",
        "-hide_banner",
        *INPUT_HARDENING,
        "-v",
        "error",
        "-read_intervals",
        f"{start}%",
        "-select_streams",
        "0",
        "-show_entries",
        "packet=pts_time,duration_time",
        "-of",
        "csv",
        str(path),
    ]
    result = subprocess.run(
        _limited(command, limit("PROBE_TIMEOUT"), 1024**2),
        capture_output=True,
        timeout=limit("PROBE_TIMEOUT"),
        check=False,
    )
    if result.returncode or b"partial file" in result.stderr:
        return True
    end = 0.0
    for line in result.stdout.decode("ascii", "replace").splitlines():
        fields = line.split(",")
        try:
            end = max(end, float(fields[1]) + float(fields[2] or 0))
        except (IndexError, ValueError):
            continue
    return end < duration - max(0.5, duration * 0.02)
