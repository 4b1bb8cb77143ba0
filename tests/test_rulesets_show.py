"""`rongcuo rulesets show`, readable conditions, and the five-dimension view of a ruling."""

from __future__ import annotations

from rongcuo_cli.load.case_file import load_case
from rongcuo_cli.model.condition import AllOf, AnyOf, ContextAny, LossIn, Not
from rongcuo_cli.render.condition_text import describe
from rongcuo_cli.engine.assess import assess
from rongcuo_cli.render.dimensions import TO_FIND, findings_by_dimension
from rongcuo_cli.load.ruleset_loader import load_ruleset
from rongcuo_cli.load.vocabulary import load_vocabulary

from .conftest import ROOT, SAMPLES
from .test_cli import run


def test_condition_reads_as_chinese():
    vocab = load_vocabulary()
    cond = AllOf(all=["diligent", Not(not_="private_gain"), AnyOf(any=[LossIn(loss=["none", "minor"]), ContextAny(context=["reform_pilot"])])])
    assert describe(cond, vocab) == (
        "「履职尽责、担当作为（穷尽办法）」 且 （并非「为自己、他人或单位谋取私利」） 且 "
        "（损失程度为「无」或「较小」 或 工作情境为「改革试点、先行先试、探索性试验」）"
    )
    assert describe(None, vocab) == "无条件成立"
    # "并非A 或 B" would read as 并非(A或B): the negated term is bracketed.
    assert describe(AnyOf(any=[Not(not_="major_reform_project"), "risk_assessed"]), vocab) == (
        "（并非「属重大改革创新项目」） 或 「事先风险评估论证并报上级深改领导小组备案」"
    )
    assert describe(Not(not_="private_gain"), vocab) == "并非「为自己、他人或单位谋取私利」"


def test_show_prints_metadata_coverage_and_every_rule_with_its_quote():
    result = run("rulesets", "show", "chuzhou")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "编号：chuzhou" in out and "继承：national" in out
    assert "rulesets/chuzhou.yaml ← rulesets/national.yaml" in out
    assert "编码覆盖说明" in out and "兜底" in out
    for rule in load_ruleset("chuzhou").rules:
        assert f"编号：{rule.rule.id}" in out
    assert "条件：「经个案研究认定属于其他可予容错的情况」" in out
    assert "性质：解释性规则（原文未明确）" in out and "性质：原文规定" in out
    assert "继承自：rulesets/national.yaml" in out
    assert "【申请（apply）】" in out and "7个工作日内" in out


def test_show_marks_paraphrase():
    out = run("rulesets", "show", "national").output
    assert "转述：“可以从轻或者减轻问责的情形" in out


def test_show_accepts_a_path_and_rejects_an_unknown_id():
    assert run("rulesets", "show", str(ROOT / "rulesets" / "hunan.yaml")).exit_code == 0
    result = run("rulesets", "show", "huann")
    assert result.exit_code == 2
    assert "hunan" in result.output


def test_findings_grouped_by_the_five_dimensions():
    vocab = load_vocabulary()
    ruling = assess(load_case(SAMPLES / "liwan" / "real_economic_cooperative.yaml"), load_ruleset("liwan"), vocab)
    grouped = findings_by_dimension(ruling, vocab)
    assert list(grouped) == ["motive", "circumstances", "procedure", "nature", "consequences"]
    assert ("cooperated", True) in grouped["motive"]
    assert ("lacked_conditions", True) in grouped["circumstances"]
    assert ("political_discipline_violation", TO_FIND) in grouped["nature"]


def test_assess_view_shows_the_dimension_panel():
    out = run("assess", str(SAMPLES / "liwan" / "real_economic_cooperative.yaml"), "--ruleset", "liwan", "--detail").output
    assert "五个方面综合考量" in out
    for heading in ("动机态度", "客观条件", "程序方法", "性质程度", "后果影响"):
        assert heading in out
    assert "违反政治纪律=待查" in out
