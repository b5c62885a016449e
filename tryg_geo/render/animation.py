"""Motion for slides: the stepped maps as an animated GIF or an MP4, one frame per period.

Every frame is drawn by the PNG export's map renderer (:func:`tryg_geo.render.png_map.
draw_map_panel`) from the step's View (:func:`tryg_geo.views.steps.step_view`), so a frame
shows what the PNG and the screen show: the same cells, the same hidden '<5' shape and the
one colour scale shared by all periods. Each frame prints its period large, the filters in
words and the source line; on demo data (and only then) the "DEMODATA" badge of the PNG.
Each step is handed through :func:`tryg_geo.role_files.for_role` before it is drawn, as every
other file.

GIF is written with ``imageio`` (Pillow); MP4 with ``imageio``'s ffmpeg writer when
``imageio-ffmpeg`` and its bundled ffmpeg are present (offline), else :class:`ExportError`
says so. The bytes depend on the data, the filters and the role only: the page's button and
``python -m tryg_geo export --animation`` give the same file.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..compute.steps import STEPS
from ..errors import ExportError, UsageError
from ..role_files import LEAST_ROLE, for_role
from ..store.dataset import Dataset
from ..views.model import View
from ..views.steps import SteppedMaps, step_view
from .files import key_stem
from .png_base import MARGIN_X, MUTED, TEXT, Box, Page, font_scale
from .png_map import draw_map_panel
from .png_page import draw_kicker

#: The formats and their MIME types (the page's button, the CLI's ``--format``).
ANIMATION_FORMATS: dict[str, str] = {"gif": "image/gif", "mp4": "video/mp4"}
#: The frame size in inches at :data:`FRAME_DPI`: 1920 × 1080 pixels, as a slide.
FRAME_INCHES = (19.2, 10.8)
FRAME_DPI = 100
#: How long each period is shown (seconds).
SECONDS_PER_STEP = 1.5
#: The period's size in points on a 1920 × 1080 frame: read from the back of a room.
PERIOD_POINTS = 54


def check_format(fmt: str) -> str:
    """``fmt`` when it is an animation format, else a Danish :class:`UsageError`."""
    if fmt not in ANIMATION_FORMATS:
        raise UsageError(
            f"--format {fmt!r} er ikke tilladt for --animation; vælg {' eller '.join(ANIMATION_FORMATS)}."
        )
    return fmt


def animation_name(stepped: SteppedMaps, fmt: str) -> str:
    """The file name: the view's snapshot stem, the step and the format
    (tryg-geo_natteliv_2025-01-01_2025-12-31_kvartal.gif)."""
    stem = key_stem(stepped.key, stepped.filters)
    return f"{stem}_{STEPS[stepped.step].lower().replace('å', 'aa')}.{check_format(fmt)}"


def mp4_available() -> bool:
    """True when imageio's ffmpeg writer (``imageio-ffmpeg`` and its bundled ffmpeg) is here."""
    try:
        import imageio_ffmpeg

        return os.path.exists(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        return False


def animation_bytes(
    ds: Dataset,
    stepped: SteppedMaps,
    fmt: str = "gif",
    *,
    role: str = LEAST_ROLE,
    dpi: int = FRAME_DPI,
) -> bytes:
    """The stepped maps as an animation.

    Parameters
    ----------
    ds : the loaded data (the steps' maps are drawn from it).
    stepped : the steps (:func:`tryg_geo.views.steps.stepped_maps`).
    fmt : 'gif' or 'mp4'.
    role : whose file it is: what the role may not see is left out of every frame.
    dpi : pixels per inch of the 19.2 × 10.8 inch frame; 100 gives 1920 × 1080 (tests draw
        smaller frames with a lower value).

    Raises
    ------
    UsageError
        For an unknown ``fmt``.
    ExportError
        When there are no steps, or MP4 is asked for and no ffmpeg writer is available.
    """
    check_format(fmt)
    if not len(stepped):
        raise ExportError("Der er ingen perioder at vise; vælg en længere periode.")
    if fmt == "mp4" and not mp4_available():
        raise ExportError(
            "MP4 kan ikke laves her: imageio-ffmpeg (med sin ffmpeg) er ikke installeret. "
            "Hent animationen som GIF, eller installér imageio-ffmpeg."
        )
    frames = list(_frames(ds, stepped, role, dpi))
    if fmt == "gif":
        return _gif(frames)
    return _mp4(frames)


def _frames(ds: Dataset, stepped: SteppedMaps, role: str, dpi: int) -> Iterator[np.ndarray]:
    for index, label in enumerate(stepped.labels):
        view = for_role(step_view(ds, stepped, index), role)
        yield frame_pixels(view, label, dpi)


def frame_pixels(view: View, period: str, dpi: int = FRAME_DPI) -> np.ndarray:
    """One frame as an RGB array (height × width × 3)."""
    figure = frame_figure(view, period, dpi)
    canvas = figure.canvas
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def frame_figure(view: View, period: str, dpi: int = FRAME_DPI) -> Figure:
    """The matplotlib figure of one frame (tests read its texts by gid: 'period', 'title',
    'subtitle', 'source', 'demo', 'map', 'legend')."""
    with rc_context({"text.parse_math": False}):  # names from data: '$' prints as '$'
        figure = Figure(figsize=FRAME_INCHES, dpi=dpi, facecolor="white")
        FigureCanvasAgg(figure)
        page = Page(figure, scale=font_scale(*FRAME_INCHES))
        top = _header(page, view, period)
        bottom = _footer(page, view)
        draw_map_panel(page, view.map, Box(MARGIN_X, bottom, 1 - MARGIN_X, top))
    return figure


def _header(page: Page, view: View, period: str) -> float:
    """Kicker, the period large, the filters in words; the badge on demo data."""
    bottom, right = draw_kicker(page, view, 1 - page.gap_y(24))
    y = bottom - page.gap_y(8)
    shown = page.figure.text(
        MARGIN_X,
        y,
        period,
        fontsize=PERIOD_POINTS * page.scale,
        weight="bold",
        color=TEXT,
        va="top",
        gid="period",
    )
    y = page.extent(shown).bottom - page.gap_y(8)
    what = view.title.split(" – ")[0]
    title = page.text(MARGIN_X, y, what, "subtitle", weight="bold", va="top", gid="title")
    y = page.extent(title).bottom - page.gap_y(4)
    subtitle = page.text(
        MARGIN_X,
        y,
        page.wrap(view.subtitle, "subtitle", right - MARGIN_X, 2),
        "subtitle",
        color=MUTED,
        va="top",
        gid="subtitle",
    )
    return page.extent(subtitle).bottom - page.gap_y(14)


def _footer(page: Page, view: View) -> float:
    """The source line (and the shared-scale note); returns the top of the footer."""
    y = page.gap_y(20)
    source = page.text(
        MARGIN_X,
        y,
        page.wrap(" ".join([*view.notes, view.source]), "source", 1 - 2 * MARGIN_X, 2),
        "source",
        color=MUTED,
        va="bottom",
        gid="source",
    )
    return page.extent(source).top + page.gap_y(12)


def _gif(frames: list[np.ndarray]) -> bytes:
    import imageio.v3 as iio

    buffer = io.BytesIO()
    iio.imwrite(
        buffer,
        np.stack(frames),
        extension=".gif",
        duration=int(SECONDS_PER_STEP * 1000),
        loop=0,
    )
    return buffer.getvalue()


def _mp4(frames: list[np.ndarray]) -> bytes:
    """H.264 in MP4 through imageio's ffmpeg writer: one thread and no time stamp in the
    file, so the same frames give the same bytes (the page and the CLI agree)."""
    import imageio.v2 as iio2

    height, width = frames[0].shape[:2]
    with tempfile.TemporaryDirectory(prefix="tryg-anim-") as folder:
        path = os.path.join(folder, "animation.mp4")
        writer = iio2.get_writer(
            path,
            format="FFMPEG",
            mode="I",
            fps=1 / SECONDS_PER_STEP,
            codec="libx264",
            pixelformat="yuv420p",
            macro_block_size=2 if width % 16 or height % 16 else 16,
            ffmpeg_log_level="error",
            output_params=["-threads", "1", "-fflags", "+bitexact", "-map_metadata", "-1"],
        )
        try:
            for frame in frames:
                writer.append_data(frame)
        finally:
            writer.close()
        with open(path, "rb") as handle:
            return handle.read()
