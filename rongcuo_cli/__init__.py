"""rongcuo：按地区规则集认定容错纠错案件，给出处理幅度、推定结论和逐条依据。

rongcuo assesses 容错纠错 cases against a region's rules and explains every step.

Python API（稳定，带类型标注；导入本包不会载入命令行或终端库）::

    from rongcuo_cli import assess, load_case, load_ruleset

    ruleset = load_ruleset("jiaozuo")                  # 随工具提供的规则集编号，或规则集文件路径
    case = load_case("samples/jiaozuo/waived_flood_emergency.yaml")   # 案件文件路径，或一个 dict
    ruling = assess(case, ruleset)                     # 契约二：outcome、outcome_range、presumed、trail……
    ruling.outcome, ruling.outcome_range               # ('waived', ['waived', 'reduced', 'lighter'])
    ruling.as_dict()                                   # 与 rongcuo assess --json --no-analysis 相同的数据

Bad input raises ``UserError``; its ``diagnostics`` carry file, line, column,
code, message and hint, exactly as the command line prints them.

Modules, by layer (imports only go downward): ``cli`` → ``render`` /
``batch`` / ``authoring`` → ``engine`` → ``load`` → ``model``. Each
subpackage's docstring says what it owns.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Union

__version__ = "0.1.0"

if TYPE_CHECKING:
    from rongcuo_cli.engine.comparison import Comparison
    from rongcuo_cli.load.ruleset_loader import CompiledRuleset
    from rongcuo_cli.model.case import CaseBase as Case
    from rongcuo_cli.model.diagnostics import Diagnostic, UserError
    from rongcuo_cli.model.ruling import OutcomeValue, Presumed, Presumption, Ruling, TrailEntry
    from typing_extensions import TypeIs

PathLike = Union[str, "os.PathLike[str]"]

__all__ = [
    "assess", "compare", "load_case", "load_ruleset", "shipped_rulesets",
    "Case", "CompiledRuleset", "Comparison", "Diagnostic", "OutcomeValue", "Presumed", "Presumption",
    "Ruling", "TrailEntry", "UserError", "__version__",
]

# Types re-exported lazily: ``import rongcuo_cli`` stays as cheap as the console script needs.
_TYPES = {
    "Case": ("rongcuo_cli.model.case", "CaseBase"),
    "CompiledRuleset": ("rongcuo_cli.load.ruleset_loader", "CompiledRuleset"),
    "Comparison": ("rongcuo_cli.engine.comparison", "Comparison"),
    "Diagnostic": ("rongcuo_cli.model.diagnostics", "Diagnostic"),
    "UserError": ("rongcuo_cli.model.diagnostics", "UserError"),
    "OutcomeValue": ("rongcuo_cli.model.ruling", "OutcomeValue"),
    "Presumed": ("rongcuo_cli.model.ruling", "Presumed"),
    "Presumption": ("rongcuo_cli.model.ruling", "Presumption"),
    "Ruling": ("rongcuo_cli.model.ruling", "Ruling"),
    "TrailEntry": ("rongcuo_cli.model.ruling", "TrailEntry"),
}


def __getattr__(name: str) -> Any:
    if name in _TYPES:
        from importlib import import_module

        module, attribute = _TYPES[name]
        return getattr(import_module(module), attribute)
    raise AttributeError(f"module 'rongcuo_cli' has no attribute {name!r}")


def load_ruleset(ruleset: PathLike) -> CompiledRuleset:
    """载入规则集：随工具提供的编号（如 ``jiaozuo``），或 YAML 文件路径（含 ``extends`` 继承）。

    Load a shipped ruleset by id, or a ruleset file by path. Raises ``UserError``
    for a file with problems (an unknown id raises it too, listing the known ids).
    """
    from rongcuo_cli.load.ruleset_loader import load_ruleset as load

    return load(os.fspath(ruleset))


def load_case(case: PathLike | Mapping[str, Any]) -> Case:
    """载入并校验一个案件：案件文件路径，或与案件文件同结构的 dict（契约一）。

    Load and validate a case from a YAML file, or from a mapping shaped like
    one. A fact left out is unknown, never false. Raises ``UserError``.
    """
    if isinstance(case, Mapping):
        from rongcuo_cli.load.case_file import case_from_data

        return case_from_data(dict(case))
    from pathlib import Path

    from rongcuo_cli.load.case_file import load_case as load

    return load(Path(os.fspath(case)))


def assess(
    case: Case | PathLike | Mapping[str, Any],
    ruleset: CompiledRuleset | PathLike,
    *,
    analyse: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> Ruling:
    """认定一个案件：返回契约二的认定结果（建议结果、处理幅度、待定时的推定结论、审查过程）。

    Assess one case under one ruleset and return the ruling (contract 2),
    with measures, deadlines and the version in force, exactly as
    ``rongcuo assess --json --no-analysis`` gives it. ``analyse=True`` adds the
    decisive facts and, for an undetermined ruling, the what-if analysis
    (what the command line shows by default; it costs tens of re-evaluations).
    ``overrides`` replaces facts as ``--set`` does (``None`` makes one unknown).
    """
    core = _core()
    loaded_case = case if _is_case(case) else load_case(case)
    loaded_ruleset = ruleset if _is_ruleset(ruleset) else load_ruleset(ruleset)
    return core.advise(loaded_case, loaded_ruleset, core.load_vocabulary(), overrides=overrides, analyse=analyse)


@lru_cache(maxsize=None)
def _core() -> Any:
    """The engine, imported on first use (``import rongcuo_cli`` stays cheap) and then looked up in one call."""
    from types import SimpleNamespace

    from rongcuo_cli.engine.advice import advise
    from rongcuo_cli.load.ruleset_loader import CompiledRuleset
    from rongcuo_cli.load.vocabulary import load_vocabulary
    from rongcuo_cli.model.case import CaseBase

    return SimpleNamespace(advise=advise, load_vocabulary=load_vocabulary, Case=CaseBase, CompiledRuleset=CompiledRuleset)


def compare(case: Case | PathLike | Mapping[str, Any], rulesets: Iterable[CompiledRuleset | PathLike] | None = None) -> Comparison:
    """同一案件在多个规则集下的认定及分歧事实；不给规则集时比较随工具提供的全部规则集。

    One case under several rulesets (all shipped ones when none are given),
    and the facts on which they disagree.
    """
    from rongcuo_cli.engine.comparison import compare as run
    from rongcuo_cli.load.vocabulary import load_vocabulary

    loaded_case = case if _is_case(case) else load_case(case)
    chosen: list[CompiledRuleset | PathLike] = list(rulesets) if rulesets is not None else list(shipped_rulesets())
    loaded = [r if _is_ruleset(r) else load_ruleset(r) for r in chosen]
    return run(loaded_case, loaded, load_vocabulary())


def shipped_rulesets() -> list[str]:
    """随工具提供的规则集编号。The ids of the rulesets shipped with the tool."""
    from rongcuo_cli.load.ruleset_loader import shipped_ids

    return shipped_ids()


def _is_case(value: object) -> TypeIs[Case]:
    return isinstance(value, _core().Case)


def _is_ruleset(value: object) -> TypeIs[CompiledRuleset]:
    return isinstance(value, _core().CompiledRuleset)
