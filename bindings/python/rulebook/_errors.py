"""Exceptions: one class per family of rulebook_status."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Type

from ._lib import lib, text


class Status(enum.IntEnum):
    """rulebook_status: the values never change."""

    OK = 0
    NOMEM = 1
    IO = 2
    SYNTAX = 3
    SCHEMA = 4
    EXPR = 5
    NAME = 6
    TYPE = 7
    UNIT = 8
    CYCLE = 9
    VALUE = 10
    RANGE = 11
    LIMIT = 12
    INVALID = 13
    NOT_FOUND = 14
    TEST = 15
    LINT = 16   #: a lint finding: a likely mistake
    NOTE = 17   #: information from lint (e.g. the number of illustrative parameters)

    @property
    def description(self) -> str:
        """The library's English description ("schema error")."""
        return text(lib.rulebook_status_str(int(self))) or ""


def _status(code: int):
    try:
        return Status(code)
    except ValueError:
        return code


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic of a failed call, or one lint finding.

    ``line`` and ``column`` are 1-based (columns count bytes) and 0 when
    unknown; ``file`` is the file or buffer name, ``subject`` the id of the
    rule, input, parameter, indicator or test case involved.
    """

    status: "Status | int"
    message: str
    file: Optional[str] = None
    line: int = 0
    column: int = 0
    subject: Optional[str] = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class RulebookError(Exception):
    """Base class of every error the library reports.

    ``status`` is the rulebook_status of the first diagnostic, and ``file``,
    ``line``, ``column``, ``subject`` and ``message`` are that diagnostic's;
    ``diagnostics`` holds all of them (loading reports every mistake it
    finds). ``record`` is the 0-based index of the record at fault when the
    error came from a batch (evaluate_many, population).
    """

    status: "Status | int" = Status.INVALID

    def __init__(self, message: str = "", diagnostics: Sequence[Diagnostic] = (),
                 status: "Status | int | None" = None, record: Optional[int] = None):
        self.diagnostics: List[Diagnostic] = list(diagnostics)
        if status is not None:
            self.status = status
        elif self.diagnostics:
            self.status = self.diagnostics[0].status
        self.record = record
        first = self.diagnostics[0] if self.diagnostics else None
        self.message: str = message or (first.message if first else "")
        self.file: Optional[str] = first.file if first else None
        self.line: int = first.line if first else 0
        self.column: int = first.column if first else 0
        self.subject: Optional[str] = first.subject if first else None
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.diagnostics:
            head = self.message
        else:
            head = str(self.diagnostics[0])
            if self.message != self.diagnostics[0].message:
                head = self.message + ": " + head
        if self.record is not None:
            head = f"record {self.record}: {head}"
        extra = len(self.diagnostics) - 1
        if extra > 0:
            head += f" (and {extra} more: " + "; ".join(str(d) for d in self.diagnostics[1:4])
            head += "; ...)" if extra > 3 else ")"
        return head


class OutOfMemoryError(RulebookError, MemoryError):
    status = Status.NOMEM


class RulebookIOError(RulebookError, OSError):
    """A file could not be opened or read."""

    status = Status.IO


class ParseError(RulebookError):
    """The YAML or JSON text is not well formed."""

    status = Status.SYNTAX


class SchemaError(RulebookError):
    """Unknown, duplicate or missing key; wrong kind of value."""

    status = Status.SCHEMA


class ExpressionError(RulebookError):
    """An expression or unit does not parse."""

    status = Status.EXPR


class NamingError(RulebookError):
    """Unknown or duplicate name in a rulebook."""

    status = Status.NAME


class RulebookTypeError(RulebookError, TypeError):
    """Operands of the wrong type in a rulebook."""

    status = Status.TYPE


class UnitError(RulebookError):
    """Incompatible or unknown units."""

    status = Status.UNIT


class CycleError(RulebookError):
    """Indicators that depend on themselves."""

    status = Status.CYCLE


class FactError(RulebookError, ValueError):
    """A bad fact value: wrong type, bad number or date."""

    status = Status.VALUE


class NumberRangeError(FactError):
    """A number outside the decimal range or precision."""

    status = Status.RANGE


class LimitError(RulebookError):
    """A size, depth or count limit was exceeded."""

    status = Status.LIMIT


class InvalidArgumentError(RulebookError, ValueError):
    """An invalid argument (bad date, wrong rulebook, bad index)."""

    status = Status.INVALID


class NotFoundError(RulebookError, LookupError):
    """No such input, rule or name."""

    status = Status.NOT_FOUND


class RulebookTestError(RulebookError):
    """A rulebook's own test cases failed (only raised on request)."""

    status = Status.TEST


class ClosedError(RulebookError, ValueError):
    """The object was closed (or its rulebook was) and cannot be used."""

    status = Status.INVALID


_BY_STATUS: Dict[int, Type[RulebookError]] = {
    Status.NOMEM: OutOfMemoryError,
    Status.IO: RulebookIOError,
    Status.SYNTAX: ParseError,
    Status.SCHEMA: SchemaError,
    Status.EXPR: ExpressionError,
    Status.NAME: NamingError,
    Status.TYPE: RulebookTypeError,
    Status.UNIT: UnitError,
    Status.CYCLE: CycleError,
    Status.VALUE: FactError,
    Status.RANGE: NumberRangeError,
    Status.LIMIT: LimitError,
    Status.INVALID: InvalidArgumentError,
    Status.NOT_FOUND: NotFoundError,
    Status.TEST: RulebookTestError,
}


def error_class(status: int) -> Type[RulebookError]:
    return _BY_STATUS.get(status, RulebookError)


def diagnostics_of(err: int) -> List[Diagnostic]:
    """Copy every diagnostic out of a rulebook_error."""
    out = []
    for i in range(lib.rulebook_error_count(err)):
        out.append(Diagnostic(
            status=_status(lib.rulebook_error_status_at(err, i)),
            message=text(lib.rulebook_error_message(err, i)) or "",
            file=text(lib.rulebook_error_file(err, i)),
            line=lib.rulebook_error_line(err, i),
            column=lib.rulebook_error_column(err, i),
            subject=text(lib.rulebook_error_subject(err, i)),
        ))
    return out


def raise_status(status: int, err: Optional[int] = None, *, message: str = "",
                 record: Optional[int] = None) -> None:
    """Raise the exception for a failed call (err: the rulebook_error it filled)."""
    diags = diagnostics_of(err) if err else []
    if not diags:
        desc = text(lib.rulebook_status_str(status)) or "error"
        diags = [Diagnostic(status=_status(status), message=message or desc)]
        message = ""
    raise error_class(status)(message, diags, status=_status(status), record=record)
