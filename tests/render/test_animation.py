"""Motion for slides: the stepped maps as GIF and MP4, drawn by the PNG's map renderer, the
period on each frame, "DEMODATA" on demo data only, and the command line's file the same bytes
as the page's button for the same filters and role."""

from __future__ import annotations

import dataclasses
import io

import imageio.v3 as iio
import pytest

from tryg_geo.cli import main
from tryg_geo.errors import ExportError, UsageError
from tryg_geo.render import animation
from tryg_geo.render.animation import animation_bytes, animation_name, frame_figure
from tryg_geo.views.registry import default_filters
from tryg_geo.views.steps import step_view, stepped_maps

#: Small frames keep the tests quick (19.2 × 10.8 in at 10 dpi: 192 × 108 pixels).
SMALL = 10


@pytest.fixture(scope="module")
def stepped(demo_ds):
    filters = default_filters(
        demo_ds, {"preset": "custom", "fra": "2023-01-01", "til": "2025-12-31"}
    )
    return stepped_maps(demo_ds, "natteliv", filters.with_(cell="250m"), "year")


def _texts(figure) -> dict[str, str]:
    return {t.get_gid(): t.get_text() for t in figure.texts if t.get_gid()}


def test_each_frame_prints_its_period_and_the_demo_badge(demo_ds, stepped):
    assert stepped.labels == ("2023", "2024", "2025")
    for index, label in enumerate(stepped.labels):
        view = step_view(demo_ds, stepped, index)
        texts = _texts(frame_figure(view, label, SMALL))
        assert texts["period"] == label
        assert texts["demo"] == "DEMODATA"
        assert "Demodata" in texts["source"]
    real = dataclasses.replace(view, demo=False, demo_label=None, source="Kilde: politiet")
    assert "demo" not in _texts(frame_figure(real, "2025", SMALL))


def test_frames_draw_the_maps_of_the_png_renderer(demo_ds, stepped):
    """The map panel is png_map's: its axes and legend carry the PNG's gids and the legend
    is the step's shared-scale legend."""
    view = step_view(demo_ds, stepped, 1)
    figure = frame_figure(view, stepped.labels[1], SMALL)
    (ax,) = [a for a in figure.axes if a.get_gid() == "map"]
    legend_texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [label for _, label in view.map.legend.entries] == legend_texts[: len(legend_texts) - 1]


def test_gif_has_one_frame_per_step_and_is_the_same_every_time(demo_ds, stepped):
    data = animation_bytes(demo_ds, stepped, "gif", dpi=SMALL)
    frames = iio.imread(io.BytesIO(data), extension=".gif", index=None)
    assert frames.shape[:3] == (3, 108, 192)
    assert data == animation_bytes(demo_ds, stepped, "gif", dpi=SMALL)


def test_mp4_or_a_clear_message(demo_ds, stepped, monkeypatch):
    if animation.mp4_available():
        data = animation_bytes(demo_ds, stepped, "mp4", dpi=SMALL)
        assert data[4:8] == b"ftyp"
        assert data == animation_bytes(demo_ds, stepped, "mp4", dpi=SMALL)
    monkeypatch.setattr(animation, "mp4_available", lambda: False)
    with pytest.raises(ExportError, match="imageio-ffmpeg"):
        animation_bytes(demo_ds, stepped, "mp4", dpi=SMALL)
    with pytest.raises(UsageError, match="--format 'avi'"):
        animation_bytes(demo_ds, stepped, "avi", dpi=SMALL)


@pytest.mark.parametrize(
    ("view", "fmt", "cell"),
    [("natteliv", "gif", "250m"), pytest.param("analyse", "mp4", "1km", id="analyse-mp4")],
)
def test_cli_gives_the_pages_file_byte_for_byte(
    demo_ds, demo_dir, tmp_path, monkeypatch, capsys, view, fmt, cell
):
    if fmt == "mp4" and not animation.mp4_available():
        pytest.skip("imageio-ffmpeg is not installed here")
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    code = main(
        [
            "export", "--view", view, "--animation", "--format", fmt, "--step", "year",
            "--from", "2024-01-01", "--to", "2025-12-31", "--cell", cell,
            "--role", "leder", "--out", str(tmp_path),
        ]
    )  # fmt: skip
    assert code == 0 and "Demodata" in capsys.readouterr().out
    # What the page's button makes for the same widgets (pages/ui/timeline.py).
    page = default_filters(
        demo_ds, {"preset": "custom", "fra": "2024-01-01", "til": "2025-12-31"}
    ).with_(cell=cell)
    stepped = stepped_maps(demo_ds, view, page, "year")
    written = tmp_path / animation_name(stepped, fmt)
    assert written.read_bytes() == animation_bytes(demo_ds, stepped, fmt, role="leder")
    assert written.name == f"tryg-geo_{view}_2024-01-01_2025-12-31_aar.{fmt}"


def test_cli_refuses_views_and_options_without_a_slider(demo_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    out = str(tmp_path / "x.gif")
    assert main(["export", "--view", "overblik", "--animation", "--out", out]) != 0
    assert main(["export", "--view", "natteliv", "--step", "year", "--out", out]) != 0
    assert not (tmp_path / "x.gif").exists()  # the CLI wrote nothing for either mistake


def test_every_frame_goes_through_the_role_rules(demo_ds, stepped, monkeypatch):
    """A rule that withholds the map's features from leaders (as role_files.DETAILS could
    declare) leaves them off every frame of a leader's animation, and only of a leader's."""
    from tryg_geo import role_files

    rule = role_files.Detail("natteliv", "analyst_detail", layers=("features",))
    monkeypatch.setattr(role_files, "DETAILS", (*role_files.DETAILS, rule))
    leader = animation_bytes(demo_ds, stepped, "gif", role="leder", dpi=SMALL)
    analyst = animation_bytes(demo_ds, stepped, "gif", role="analytiker", dpi=SMALL)
    monkeypatch.setattr(role_files, "DETAILS", role_files.DETAILS[:-1])
    assert analyst == animation_bytes(demo_ds, stepped, "gif", role="leder", dpi=SMALL)
    assert leader != analyst
