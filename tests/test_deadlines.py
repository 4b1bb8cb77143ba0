"""Procedure deadlines in working days on the Chinese calendar, and the late-application flag."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest
from typer.testing import CliRunner

from rongcuo_cli.engine.advice import advise
from rongcuo_cli.model.case import Dates
from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.cli import app
from rongcuo_cli.engine.deadlines import procedure_status
from rongcuo_cli.model.ruleset import Citation, Deadline, ProcedureStep
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary
from rongcuo_cli.engine.workdays import OutsideCalendar, add_working_days, covered_years

from .conftest import ROOT

CASE = ROOT / "tests" / "fixtures" / "deadlines" / "late_application_national_day.yaml"
# Chuzhou's four steps as its seed words them; the deadlines are the data under test.
RULESET = textwrap.dedent("""\
    id: deadline_demo
    title: 期限测试规则集（沿用焦作规则，程序按滁州四步）
    short_title: 期限测试
    region: 测试
    issuer: 测试
    status: 测试
    source: [003_034d67364885f8c7.txt]
    extends: jiaozuo
    coverage: 仅用于测试程序期限的计算。
    procedure:
      - id: apply
        title: 申请
        text: 启动问责程序后7个工作日内提出书面申请。
        deadline: {after: accountability_started, working_days: 7, actual: application_filed}
        cites: {source: 003_034d67364885f8c7.txt, clause: 四步程序 申请, quote: "即申请,启动问责程序后7个工作日内,向提出书面申请"}
      - id: decide
        title: 认定
        text: 认定结果在3个工作日内向申请单位或个人反馈并予以答复解释。
        deadline: {after: decided, working_days: 3, actual: feedback_given}
        cites: {source: 003_034d67364885f8c7.txt, clause: 四步程序 认定, quote: 认定结果在3个工作日内向申请单位或个人反馈并予以答复解释}
    """)
runner = CliRunner()


@pytest.fixture
def ruleset_file(tmp_path):
    path = tmp_path / "deadline_demo.yaml"
    path.write_text(RULESET, encoding="utf-8")
    return path


def test_working_days_skip_national_day_and_count_adjusted_weekends():
    # 2024: 9/29 (Sun) and 10/12 (Sat) were 调休 working days; 10/1–10/7 holiday.
    assert add_working_days(dt.date(2024, 9, 27), 1) == dt.date(2024, 9, 29)
    assert add_working_days(dt.date(2024, 9, 27), 3) == dt.date(2024, 10, 8)
    assert add_working_days(dt.date(2024, 9, 27), 7) == dt.date(2024, 10, 12)


def test_working_days_over_spring_festival():
    # 2024 春节: 2/10–2/17 off, 2/4 (Sun) and 2/18 (Sun) worked.
    assert add_working_days(dt.date(2024, 2, 8), 2) == dt.date(2024, 2, 18)


def test_outside_the_calendar_is_said_not_guessed():
    _, last = covered_years()
    with pytest.raises(OutsideCalendar, match="节假日日历仅覆盖"):
        add_working_days(dt.date(last, 12, 30), 7)
    step = ProcedureStep(id="apply", title="申请", text="t", cites=Citation(source="s", clause="c", quote="q"),
                         deadline=Deadline(after="accountability_started", working_days=7, actual="application_filed"))
    status = procedure_status([step], Dates(accountability_started=dt.date(last, 12, 30), application_filed=dt.date(last + 1, 1, 15)))[0].status
    assert status.due is None and status.timely is None
    assert "节假日日历仅覆盖" in status.text
    # Within 7 calendar days it is on time whatever the holidays: certain, not a guess.
    early = procedure_status([step], Dates(accountability_started=dt.date(last, 12, 30), application_filed=dt.date(last + 1, 1, 2)))[0].status
    assert early.due is None and early.timely is True
    assert "无论节假日如何安排都按期" in early.text


def test_late_application_is_flagged_in_the_ruling(ruleset_file):
    ruling = advise(load_case(CASE), load_ruleset(str(ruleset_file)), load_vocabulary())
    apply, decide = ruling.procedure
    assert apply.status.due == dt.date(2024, 10, 12)
    assert apply.status.actual == dt.date(2024, 10, 14)
    assert apply.status.timely is False
    assert decide.status.due == dt.date(2024, 10, 30) and decide.status.timely is True
    assert ruling.procedure_alerts == [f"申请逾期：{apply.status.text}"]


def test_missing_date_leaves_timeliness_open(ruleset_file, tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(CASE.read_text(encoding="utf-8").replace("  application_filed: 2024-10-14\n", ""), encoding="utf-8")
    apply = advise(load_case(case), load_ruleset(str(ruleset_file)), load_vocabulary()).procedure[0]
    assert apply.status.due == dt.date(2024, 10, 12) and apply.status.timely is None
    assert "无法判断是否按期" in apply.status.text


def test_json_and_screen_show_the_late_application(ruleset_file):
    env = {"COLUMNS": "120", "NO_COLOR": "1"}
    data = json.loads(runner.invoke(app, ["assess", str(CASE), "-r", str(ruleset_file), "--json"], env=env).output)
    apply = data["procedure"][0]
    assert (apply["id"], apply["status"]["due"], apply["status"]["actual"], apply["status"]["timely"]) == ("apply", "2024-10-12", "2024-10-14", False)
    screen = runner.invoke(app, ["assess", str(CASE), "-r", str(ruleset_file), "--detail"], env=env)
    assert screen.exit_code == 0
    assert "程序期限提示" in screen.output and "【逾期】" in screen.output and "截止 2024-10-12" in screen.output


def test_shipped_steps_without_deadlines_keep_their_shape():
    ruling = advise(load_case(CASE), load_ruleset("jiaozuo"), load_vocabulary())
    assert [s.id for s in ruling.procedure] == ["start", "investigate", "recommend", "decide", "execute"]
    assert all(s.status is None for s in ruling.procedure) and ruling.procedure_alerts == []
