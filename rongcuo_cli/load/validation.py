"""Turn Pydantic validation errors into positioned diagnostics.

Why: Pydantic reports a ``loc`` path; the YAML document knows where each path
stands. Translating in one place keeps error wording consistent for case files
and rulesets alike, and lists every error of a file at once.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rongcuo_cli.model.diagnostics import MAX_PER_FILE, Diagnostic, UserError, more_problems, shorten as _show, suggest
from rongcuo_cli.load.yaml_source import Document

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], doc: Document, *, context: str = "") -> M:
    """Validate a document against a model, or raise UserError with all problems."""
    if not isinstance(doc.data, dict):
        found = "空文件" if doc.data is None else _kind(doc.data)
        raise UserError([doc.diagnostic((), "schema", f"{context}文件的顶层应为映射（键: 值），实际是{found}", "参照 samples/ 中的示例书写")])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise UserError(diagnostics_for(exc, model, doc)) from None


def diagnostics_for(exc: ValidationError, model: type[BaseModel], doc: Document) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    errors = exc.errors(include_url=False)
    for error in errors[:MAX_PER_FILE]:  # only those shown are translated: a flood costs no more than 50
        path = _document_path(doc.data, error["loc"])
        found.append(_diagnostic(error, path, model, doc))
    found.sort(key=lambda d: (d.line or 0, d.column or 0))
    if len(errors) > MAX_PER_FILE:
        found.append(more_problems(doc.file, len(errors) - MAX_PER_FILE))
    return found


def _document_path(data: Any, loc: tuple) -> tuple:
    """Follow ``loc`` through the data, dropping union tags that are not in the data."""
    path: list[Any] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and any(str(key) == part for key in current if not isinstance(key, str)):
            key = next(key for key in current if not isinstance(key, str) and str(key) == part)  # e.g. a `null:` key
            path.append(key)
            current = current[key]
        elif isinstance(current, dict) and not isinstance(part, int) and part not in current and part == loc[-1]:
            path.append(part)  # a missing key: keep it so the message can name it
    return tuple(path)


def _diagnostic(error: dict, path: tuple, model: type[BaseModel], doc: Document) -> Diagnostic:
    kind = error["type"]
    name = path[-1] if path else ""
    value = error.get("input")
    where = _dotted(path)
    if kind == "missing":
        parent = path[:-1]
        return doc.diagnostic(parent, "missing", f"缺少必填字段 `{name}`" + (f"（在 `{_dotted(parent)}` 下）" if parent else ""), "请补上该字段", key=True)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1])
        hint = suggest(str(name), allowed) if allowed else None
        if hint is None and allowed:
            hint = "允许的字段：" + "、".join(sorted(allowed))
        return doc.diagnostic(path, "unknown-key", f"未知的字段 `{name}`" + (f"（在 `{_dotted(path[:-1])}` 下）" if len(path) > 1 else ""), hint, key=True)
    if kind in ("bool_type", "bool_parsing"):
        return doc.diagnostic(path, "type", f"`{where}` 应为 是/否（或 true/false），实际是 `{_show(value)}`", _bool_hint(value))
    if kind == "invalid_key":
        return doc.diagnostic(path, "key-type", f"键 `{'null' if value is None else _show(value)}` 不是文本", "字段名只能是文本；数字、true/false、null 作键时请加引号或改名", key=True)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        hint = suggest(str(value), allowed) if isinstance(value, str) else None
        return doc.diagnostic(path, "value", f"`{where}` 的值 `{_show(value)}` 不在允许范围内；允许：{'、'.join(allowed)}", hint)
    if kind.startswith("date") or kind.startswith("datetime"):
        return doc.diagnostic(path, "type", f"`{where}` 应为日期，实际是{_kind(value)}", _date_hint(value))
    if "hint" in error.get("ctx", {}):  # a validator's own message, with its own hint
        return doc.diagnostic(path, "value", f"`{where}` {error['msg']}", error["ctx"]["hint"])
    if kind in ("string_too_short", "value_error"):
        return doc.diagnostic(path, "value", f"`{where}` 不能为空", "请填写内容")
    if kind == "string_type":
        return doc.diagnostic(path, "type", f"`{where}` 应为文本，实际是{_kind(value)}", "文本值可以加引号")
    if kind == "list_type":
        return doc.diagnostic(path, "type", f"`{where}` 应为列表，实际是{_kind(value)}", "列表每项另起一行，以 `- ` 开头，或写成 [a, b]")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return doc.diagnostic(path, "type", f"`{where}` 应为映射（键: 值），实际是{_kind(value)}", "映射的每个键另起一行并缩进")
    if kind == "too_short":
        return doc.diagnostic(path, "value", f"`{where}` 不能为空列表", "至少写一项")
    if kind == "condition":
        return doc.diagnostic(path, "condition", f"`{where}` 不是合法的条件", error["msg"])
    return doc.diagnostic(path, "schema", f"`{where}`：{error['msg']}")


# Words people write for a yes/no fact, and the value they mean. Accepted are
# true/false (any case) and 是/否/不清楚 (``vocabulary.FACT_WORDS``); the words
# below are ambiguous — a ruling must not rest on a guess about what "有" or "y"
# meant — so they are refused with the exact fix.
_BOOL_WORDS: dict[str, str] = {
    **dict.fromkeys(("yes", "y", "on", "对", "有", "真", "成立", "√", "1"), "是（或 true）"),
    **dict.fromkeys(("no", "n", "off", "不", "不是", "无", "没有", "假", "不成立", "×", "0"), "否（或 false）"),
}
_UNKNOWN_WORDS = ("unknown", "?", "？", "不详", "未知", "待查", "待定", "不确定")
_BOOL_RULE = "事实只接受 是、否（或 true、false，大小写均可）；不清楚的事实写 不清楚 或不写，视为未知"


def _bool_hint(value: Any) -> str:
    word = str(value).strip().lower()
    if word in _BOOL_WORDS:
        return f"把 `{_show(value)}` 改为 {_BOOL_WORDS[word]}。{_BOOL_RULE}"
    if word in _UNKNOWN_WORDS:
        return "不清楚的事实请写 不清楚，或删去这一行，视为未知"
    return _BOOL_RULE


def _date_hint(value: Any) -> str:
    """Why a value is not a date, as precisely as can be told."""
    rule = "日期写成 YYYY-MM-DD，例如 2023-03-01，不加引号"
    if isinstance(value, dt.datetime):
        return f"只写日期，不写时间：{value.date().isoformat()}"
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            if re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value):
                return f"`{value.strip()}` 这一天不存在；{rule}"
            return rule
        return f"去掉引号，写成 {day.isoformat()}"
    return rule


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "（顶层）"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文本 `{_show(value)}`"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if value is None:
        return "空值"
    if isinstance(value, dt.datetime):
        return f"日期时间 {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"日期 {value.isoformat()}"
    return type(value).__name__


def _allowed_keys(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names (by alias) of the model standing at ``path``, if one does."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap_model(current)
    if current is None:
        return []
    return [field.alias or name for name, field in current.model_fields.items()]


def _step(annotation: Any, part: Any) -> Any:
    model = _unwrap_model(annotation)
    if isinstance(part, int):
        for arg in _args(annotation):
            if typing.get_origin(arg) is list:
                return typing.get_args(arg)[0]
        return None
    if model is None:
        return None
    for name, field in model.model_fields.items():
        if part in (name, field.alias):
            return field.annotation
    return None


def _args(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    return [annotation]


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for arg in _args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None
