"""Asking the intake's questions: a real prompt in a terminal, one answer per line otherwise (so it scripts).

Both prompters offer the same three calls; ``ask_case`` drives either through
the questions ``engine.intake`` chooses.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, TextIO

from rongcuo_cli.engine.intake import Intake, Question, parse_answer
from rongcuo_cli.load.ruleset_loader import CompiledRuleset
from rongcuo_cli.model.diagnostics import Diagnostic, UserError
from rongcuo_cli.model.vocabulary import Vocabulary

STDIN = "<标准输入>"
KINDS = (("个人", "individual"), ("单位", "unit"))


class Prompter(Protocol):
    def text(self, prompt: str, *, required: bool) -> str: ...
    def pick(self, prompt: str, choices: tuple[tuple[str, Any], ...]) -> Any: ...
    def answer(self, question: Question) -> Any: ...


class LinePrompter:
    """Answers read one per line (a pipe or a file); each question and answer echoed to ``echo`` as a transcript.

    Why an error, not a second try: a script cannot answer again, and a case
    built on a skipped line would answer the wrong questions.
    """

    def __init__(self, lines: TextIO, echo: Callable[[str], None], vocab: Vocabulary):
        self.lines, self.echo, self.vocab, self.number = lines, echo, vocab, 0

    def _read(self, prompt: str) -> str:
        line = self.lines.readline()
        if not line:
            raise EOFError(prompt)
        self.number += 1
        typed = line.rstrip("\r\n").strip()
        self.echo(f"{prompt} {typed}")
        return typed

    def _refuse(self, typed: str, prompt: str, hint: str) -> UserError:
        return UserError([Diagnostic(file=STDIN, line=self.number, code="answer", message=f"第 {self.number} 行的回答 `{typed}` 不能回答：{prompt}", hint=hint)])

    def text(self, prompt: str, *, required: bool) -> str:
        typed = self._read(prompt)
        if required and not typed:
            raise self._refuse(typed, prompt, "这一项必填")
        return typed

    def pick(self, prompt: str, choices: tuple[tuple[str, Any], ...]) -> Any:
        typed = self._read(f"{prompt}（{'/'.join(label for label, _ in choices)}）")
        for label, value in choices:
            if typed in (label, value):
                return value
        raise self._refuse(typed, prompt, "请写 " + " 或 ".join(label for label, _ in choices))

    def answer(self, question: Question) -> Any:
        offered = "，".join(label for label, _ in question.choices) if question.many else "/".join(label for label, _ in question.choices)
        typed = self._read(f"{question.text}（{offered}）")
        try:
            return parse_answer(question, typed, self.vocab)
        except ValueError as bad:
            raise self._refuse(typed, question.text, str(bad)) from None


class TerminalPrompter:
    """questionary prompts: arrow keys and Enter choose, Space ticks several contexts; Ctrl-C stops."""

    def __init__(self) -> None:
        import questionary  # only here: a terminal session of `rongcuo new` is its only user

        self.q = questionary

    def text(self, prompt: str, *, required: bool) -> str:
        check = (lambda typed: bool(typed.strip()) or "这一项必填") if required else (lambda typed: True)
        return str(self.q.text(prompt, validate=check).unsafe_ask()).strip()

    def pick(self, prompt: str, choices: tuple[tuple[str, Any], ...]) -> Any:
        # Choices carry their index: questionary would replace a value of None by the title.
        options = [self.q.Choice(label, value=i) for i, (label, _) in enumerate(choices)]
        # The cursor starts on 不清楚 where there is one: Enter out of habit must never record 是.
        unknown = next((options[i] for i, (_, value) in enumerate(choices) if value is None), None)
        chosen = self.q.select(prompt, choices=options, default=unknown).unsafe_ask()
        return choices[chosen][1]

    def answer(self, question: Question) -> Any:
        if not question.many:
            return self.pick(question.text, question.choices)
        options = [self.q.Choice(label, value=i) for i, (label, _) in enumerate(question.choices)]
        ticked = self.q.checkbox(f"{question.text}（空格勾选，回车确认；都不勾即都不是）", choices=options).unsafe_ask()
        values = [question.choices[i][1] for i in ticked]
        return None if None in values else [v for v in values if v is not None]


def ask_case(prompter: Prompter, ruleset: CompiledRuleset, vocab: Vocabulary) -> Intake:
    """Case number, title and subject, then each question that can still change the ruling, until none can."""
    header: dict[str, Any] = {"case_id": prompter.text("案件编号：", required=True), "title": prompter.text("案件标题：", required=True)}
    subject: dict[str, Any] = {"kind": prompter.pick("当事主体是个人还是单位？", KINDS)}
    name = prompter.text("当事人姓名或单位名称（可留空）：", required=False)
    if name:
        subject["name"] = name
    header["subject"] = subject
    intake = Intake(ruleset, vocab, header)
    while (question := intake.next_question()) is not None:
        intake.answers[question.name] = prompter.answer(question)
    return intake

