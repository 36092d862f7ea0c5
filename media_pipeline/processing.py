"""The ffmpeg jobs: what each upload becomes.

Audio → loudness-normalised (EBU R128, −16 LUFS) MP3 and AAC. Video → H.264/AAC MP4 at 360p and 720p
(never upscaled) with a fixed GOP, an HLS playlist per size cut from those MP4s plus a master playlist,
and a poster frame. Each job writes into a local working folder; `tasks.py` uploads the results.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from media_pipeline import ffmpeg
from media_pipeline.conf import limit
from media_pipeline.models import MediaOutput

Kind = MediaOutput.Kind
GOP_SECONDS = 2
HLS_SEGMENT_SECONDS = 4
VIDEO_SIZES = [(360, Kind.MP4_360, "800k"), (720, Kind.MP4_720, "2500k")]


def loudnorm(measured=None):
    """EBU R128 normalisation to the configured loudness. With the first pass's `measured` values it
    is linear (one gain for the whole file): single-pass loudnorm guesses as it goes and leaves speech
    with pauses a LUFS or more too quiet."""
    target = f"loudnorm=I={limit('LOUDNESS_LUFS')}:TP=-1.5:LRA=11"
    if not measured:
        return target
    return (
        f"{target}:measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
        f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
        f":offset={measured['target_offset']}:linear=true"
    )


def measure_loudness(source):
    """The first pass over the first audio stream: integrated loudness, true peak, loudness range and
    gate threshold, or None if it has none (silence).

    Measured by the ebur128 filter, not loudnorm's own first pass: the values are the same (both are
    ITU BS.1770; within 0.05 LU here), but loudnorm measures in its dynamic mode, resampled to 192 kHz,
    which took three times as long. The linear second pass needs no `target_offset` (it sets its gain
    from the measured loudness), so 0 is passed."""
    output = ffmpeg.run(
        ["-v", "info", "-i", source, "-map", "0:a:0", "-vn", "-af", "ebur128=peak=true:framelog=verbose",
         "-f", "null", "-"]
    )  # fmt: skip
    summary = output[output.rfind("Summary:") :]
    values = dict(re.findall(r"^\s*(I|Threshold|LRA|Peak):\s+(\S+)", summary, re.MULTILINE)[::-1])
    # reversed: the first "Threshold" (the integrated loudness gate) wins over the loudness range's
    if "Summary:" not in output or len(values) < 4 or "inf" in values["Peak"] or float(values["I"]) <= -70:
        return None
    return {
        "input_i": values["I"],
        "input_tp": values["Peak"],
        "input_lra": values["LRA"],
        "input_thresh": values["Threshold"],
        "target_offset": "0",
    }


def threads():
    return ["-threads", str(limit("FFMPEG_THREADS"))]


def audio_outputs(source, folder, duration, progress):
    """Normalised MP3 and AAC from `source`; returns [(kind, path)].

    The two encodes run at once: each is one single-threaded ffmpeg, so one after the other left a core
    idle. The MP3 runs in a helper thread without progress reports (those write to the database, which
    belongs to the calling thread); the AAC, the slower one, reports for both."""
    mp3, aac = Path(folder, "audio.mp3"), Path(folder, "audio.m4a")
    measured = measure_loudness(source)
    common = ["-map", "0:a:0", "-vn", "-sn", "-dn", "-af", loudnorm(measured), "-ar", "44100", *threads()]
    with ThreadPoolExecutor(max_workers=1) as helper:
        made = helper.submit(
            ffmpeg.run,
            ["-i", source, *common, "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "3", mp3],
        )
        ffmpeg.run(
            ["-i", source, *common, "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", aac],
            duration,
            progress,
        )
        made.result()
    return [(Kind.MP3, mp3), (Kind.AAC, aac)]


def video_outputs(source, folder, duration, width, height, frame_rate, has_audio, progress):
    """MP4s, HLS playlists and a poster from `source`; returns [(kind, path)]."""
    with ThreadPoolExecutor(max_workers=1) as helper:
        audio = helper.submit(video_audio, source, folder, duration) if has_audio else None
        results = []
        gop = max(1, round(frame_rate * GOP_SECONDS))
        master = ["#EXTM3U", "#EXT-X-VERSION:3"]
        for index, (target, kind, bitrate) in enumerate(VIDEO_SIZES):
            out_height = min(target, height) // 2 * 2
            mp4 = Path(folder, f"{out_height}p.mp4")
            picture = Path(folder, f"{out_height}p.picture.mp4") if audio else mp4
            ffmpeg.run(
                [
                    "-i",
                    source,
                    "-map",
                    "0:v:0",
                    "-an",
                    "-sn",
                    "-dn",
                    "-vf",
                    f"scale=-2:{out_height}",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryfast",
                    "-profile:v",
                    "main",
                    "-pix_fmt",
                    "yuv420p",
                    "-maxrate",
                    bitrate,
                    "-bufsize",
                    bitrate,
                    "-crf",
                    "23",
                    "-g",
                    gop,
                    "-keyint_min",
                    gop,
                    "-sc_threshold",
                    "0",
                    "-force_key_frames",
                    f"expr:gte(t,n_forced*{GOP_SECONDS})",
                    *threads(),
                    "-movflags",
                    "+faststart",
                    picture,
                ],
                duration,
                lambda f, i=index: progress((i + f) / (len(VIDEO_SIZES) + 0.2)),
            )
            if audio:
                ffmpeg.run(
                    ["-i", picture, "-i", audio.result(), "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
                     "-movflags", "+faststart", mp4]
                )  # fmt: skip
                picture.unlink()
            results.append((kind, mp4))
            playlist = Path(folder, f"{out_height}p.m3u8")
            ffmpeg.run(
                [
                    "-i",
                    mp4,
                    "-c",
                    "copy",
                    "-f",
                    "hls",
                    "-hls_time",
                    HLS_SEGMENT_SECONDS,
                    "-hls_playlist_type",
                    "vod",
                    "-hls_segment_filename",
                    Path(folder, f"{out_height}p_%03d.ts"),
                    playlist,
                ]
            )
            results.append((Kind.HLS_PART, playlist))
            segments = sorted(Path(folder).glob(f"{out_height}p_*.ts"))
            results += [(Kind.HLS_PART, segment) for segment in segments]
            out_width = round(width * out_height / height / 2) * 2
            bandwidth = int(mp4.stat().st_size * 8 / max(duration, 0.1) * 1.1)
            codecs = "avc1.4d401f,mp4a.40.2" if has_audio else "avc1.4d401f"
            master += [
                f'#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={out_width}x{out_height},CODECS="{codecs}"',
                playlist.name,
            ]
            if height <= target:  # the source is no larger than this size: larger variants would upscale
                break
        master_path = Path(folder, "master.m3u8")
        master_path.write_text("\n".join(master) + "\n")
        results.append((Kind.HLS, master_path))
        poster = Path(folder, "poster.jpg")
        ffmpeg.run(
            [
                "-ss",
                min(1.0, duration / 2),
                "-i",
                source,
                "-frames:v",
                "1",
                "-vf",
                f"scale=-2:{min(720, height) // 2 * 2}",
                "-q:v",
                "3",
                poster,
            ]
        )
        results.append((Kind.POSTER, poster))
        if audio:
            audio.result().unlink()  # not an output: it is inside each MP4
        progress(1.0)
        return results


def video_audio(source, folder, duration):
    """The video's sound track normalised and encoded once, copied into every size's MP4: the sizes
    share it, and normalising and encoding it per size took as long as a 360p picture encode. It is made
    in a helper thread while x264 encodes the first size's picture (ffmpeg's audio filters and AAC
    encoder use one core; x264 does not fill two), without progress reports (database: caller's)."""
    path = Path(folder, "audio-track.m4a")
    measured = measure_loudness(source)
    ffmpeg.run(
        ["-i", source, "-map", "0:a:0", "-vn", "-sn", "-dn", "-af", loudnorm(measured), "-ar", "44100",
         "-c:a", "aac", "-b:a", "128k", *threads(), path],
        duration,
    )  # fmt: skip
    return path
