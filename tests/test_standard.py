"""The standard as data: the 32 indicators, settings and local overlays."""

from __future__ import annotations

import pytest

from junheng import StandardError, list_standards, load_standard


def test_national_standard_has_32_indicators_in_four_parts():
    std = load_standard("national-2017")
    parts = [i.part for i in std.indicators]
    assert (parts.count("resource"), parts.count("guarantee"), parts.count("quality"),
            parts.count("recognition")) == (7, 15, 9, 1)  # fmt: skip
    assert std.threshold("qualified_teachers", "primary") == 4.2
    assert std.threshold("sports_area", "junior") == 10.2
    assert std.settings["stage_weights"] == {"primary": 1.0, "junior": 1.1, "senior": 1.32}
    assert std.settings["cv_max"] == {"primary": 0.50, "junior": 0.45}
    assert std.settings["teaching_point_min_students"] == 50
    assert std.param("special_funds", "per_pupil") == 6000
    evidence = {i.key for i in std.indicators if i.evidence}
    assert {"layout", "four_unified", "staffing", "it_teaching"} <= evidence


def test_overlay_overrides_without_touching_the_rest():
    std = load_standard("shenyang-2021")
    assert std.extends == "national-2017"
    assert std.param("special_funds", "per_pupil") == 8000
    assert std.param("small_school_funds", "benchmark_primary") == 1150
    assert std.threshold("qualified_teachers", "junior") == 5.3


def test_local_overlay_from_a_directory(tmp_path, monkeypatch):
    (tmp_path / "my-county.toml").write_text(
        'id = "my-county"\nextends = "national-2017"\ntitle = "本县标准"\n'
        "[indicator_overrides.qualified_teachers]\nper_stage = { primary = 5.0 }\n"
        '[[local_targets]]\nkey = "myopia"\ntitle = "近视率"\ncolumn = "近视率（%）"\n'
        'comparison = "<="\nthreshold = 50\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("JUNHENG_STANDARDS_DIR", str(tmp_path))
    std = load_standard("my-county")
    assert std.threshold("qualified_teachers", "primary") == 5.0
    assert std.threshold("qualified_teachers", "junior") == 5.3
    assert [t.key for t in std.local_targets] == ["myopia"]
    assert "my-county" in {s.id for s in list_standards()}


def test_standard_by_path(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text('id = "x"\nextends = "national-2017"\n[settings]\nfloor_share = 0.9\n', "utf-8")
    assert load_standard(str(p)).settings["floor_share"] == 0.9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('extends = "national-2017"\n[indicator_overrides.nope]\ntitle = "x"\n', "不存在的指标"),
        ('extends = "bad"\n', "循环继承"),
        ("this is = not toml [", "无法读取"),
    ],
)
def test_broken_overlays_are_refused(tmp_path, monkeypatch, text, message):
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("JUNHENG_STANDARDS_DIR", str(tmp_path))
    with pytest.raises(StandardError, match=message):
        load_standard("bad")


def test_unknown_standard():
    with pytest.raises(StandardError, match="未找到评估标准"):
        load_standard("nowhere")
