"""达标测算 with leased sports venues (租用场馆): off by default, its own unit cost, and a lease
contract named as the evidence it needs."""

from __future__ import annotations

import pytest

from conftest import primary_school
from junheng import load_standard
from junheng.errors import JunhengError
from junheng.planner import load_costs, plan
from junheng.planner.report import plan_dict
from junheng.reader import dataset_from_records

STD = load_standard("national-2017")
SHORT = "1370830002"


def _data():
    """School 2: 1000 pupils on 5000.5 ㎡ of sports ground, 5.0005 ㎡ each: below 85% of 7.5
    (6.375). Its other six indicators are met, so reaching 6375 ㎡ is enough: 1374.5 ㎡ more,
    1375 in whole ㎡."""
    schools = [primary_school(1), primary_school(2, sports_ground=5000.5)]
    return dataset_from_records(schools, None, STD)


def _sports(p):
    row = p.additions.filter(p.additions["code"] == SHORT).to_dicts()[0]
    return row["sports_ground"]


def test_by_default_the_sports_ground_is_built_not_leased():
    p = plan(_data(), STD, load_costs().with_changes(allow_moves=False))
    assert p.reached and _sports(p) == 1375
    assert p.total_cost() == 1375 * 500
    assert not any(a["action"] == "lease_sports" for a in plan_dict(p)["actions"])


def test_a_lease_cheaper_than_building_is_chosen_when_allowed():
    costs = load_costs().with_changes(allow_lease=True, allow_moves=False)
    p = plan(_data(), STD, costs)
    # 300 元/㎡ leased against 500 元/㎡ built
    assert p.reached and p.total_cost() == 1375 * 300
    [act] = plan_dict(p)["actions"]
    assert act["action"] == "lease_sports" and act["quantity"] == 1375
    [school] = plan_dict(p)["schools"]
    assert "租用校外体育场馆" in school["text"] and "租用合同" in school["text"]
    # the evaluation counts the leased area in the school's sports area
    assert _sports(p) == 1375


def test_a_school_that_cannot_build_may_still_lease():
    blocked = load_costs().with_changes(cannot_build=frozenset({SHORT}), allow_moves=False)
    assert not plan(_data(), STD, blocked).reached
    p = plan(_data(), STD, blocked.with_changes(allow_lease=True))
    assert p.reached and p.total_cost() == 1375 * 300


def test_building_cheaper_than_leasing_is_built():
    costs = load_costs().with_changes(allow_lease=True, allow_moves=False, lease_sports=800.0)
    p = plan(_data(), STD, costs)
    assert p.reached and p.total_cost() == 1375 * 500


def test_costs_file_lease_switch_must_be_true_or_false(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[limits]\nallow_lease = "yes"\n', "utf-8")
    with pytest.raises(JunhengError, match="allow_lease 应为 true 或 false"):
        load_costs(f)
    f.write_text("[facilities]\nlease_sports = -1\n", "utf-8")
    with pytest.raises(JunhengError, match="lease_sports 应为不小于 0"):
        load_costs(f)
    f.write_text("[facilities]\nlease_sports = 250\n[limits]\nallow_lease = true\n", "utf-8")
    c = load_costs(f)
    assert c.lease_sports == 250 and c.allow_lease is True


def test_apply_counts_the_lease_in_the_sports_ground_and_says_so(tmp_path):
    from typer.testing import CliRunner

    from conftest import county_row
    from junheng.cli import app
    from junheng.workbook import write_workbook

    book = write_workbook(tmp_path / "in.xlsx", [primary_school(1), primary_school(2, sports_ground=5000.5)],
                          [county_row()])  # fmt: skip
    costs = tmp_path / "c.toml"
    costs.write_text("[limits]\nallow_lease = true\nallow_moves = false\n", "utf-8")
    out = tmp_path / "out.xlsx"
    r = CliRunner().invoke(app, ["plan", str(book), "--costs", str(costs), "-f", "json",
                                 "--apply", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "租用场馆面积已计入“运动场地面积”列" in r.stderr
    from junheng import evaluate
    from junheng.reader import read_workbook

    # 5000.5 + 1375 ㎡: the resource part fails before and passes after
    assert evaluate(read_workbook(book, STD), STD).county("370830").resource.passed is False
    assert evaluate(read_workbook(out, STD), STD).county("370830").resource.passed is True


def test_a_budget_is_never_overspent_by_rounding_to_whole_square_metres():
    # 1374.5 ㎡ and a hair cost 687 250 元 at 500 元/㎡; whole ㎡ make it 1375 ㎡, 687 500 元
    costs = load_costs().with_changes(allow_moves=False)
    short = plan(_data(), STD, costs, budget=687_300)
    assert not short.reached and short.total_cost() == 0
    # the equipment is bought in whole 元: up to 1 元 a school is kept in hand (2 schools)
    enough = plan(_data(), STD, costs, budget=687_502)
    assert enough.reached and enough.total_cost() == 687_500
