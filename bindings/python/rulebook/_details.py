"""What the C API tells about a rulebook's test cases, where its rules are
written, the values a rule used and every comparison of its requirement:
plain data read through the accessors, for Rulebook and Result."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Tuple

from ._lib import lib, text
from ._values import dec, int_to_date

__all__ = ["TestCase", "TestFact", "TestExpectation", "SourceLocation", "Comparison",
           "UsedValue"]

#: rulebook_expect_kind
EXPECT_KINDS = ("verdict", "value", "obligation", "target", "class", "score", "aggregate",
                "aggregate_value")
_ITEM_RULE = 0
#: rulebook_gap_field
_VALUE, _ACTUAL, _THRESHOLD, _UNIT, _OPERATOR, _NAME, _TEXT, _THRESHOLD_NAME, _HOLDS = range(9)


def need(name: str) -> None:
    if getattr(lib, name, None) is None:
        raise NotImplementedError(f"the loaded librulebook has no {name}")


@dataclass(frozen=True)
class TestFact:
    """A fact of a test case as written ("31.3 亩"); value None when null."""

    name: str
    value: Optional[str]
    line: int
    column: int


@dataclass(frozen=True)
class TestExpectation:
    """What a test case expects: kind is one of verdict, value, obligation,
    target, class, score, aggregate, aggregate_value."""

    kind: str
    name: str
    value: str
    places: Optional[int]   #: {value, places}: compared rounded; None when exact
    line: int
    column: int


@dataclass(frozen=True)
class TestCase:
    """One case under ``tests:``; records holds one tuple of facts per
    record (one for a case with ``facts:``)."""

    name: str
    as_of: Optional[datetime.date]
    line: int
    column: int
    population: bool
    records: Tuple[Tuple[TestFact, ...], ...]
    expectations: Tuple[TestExpectation, ...]

    @property
    def facts(self) -> Tuple[TestFact, ...]:
        """The facts of the first (for a case of one record, the only) record."""
        return self.records[0] if self.records else ()


@dataclass(frozen=True)
class SourceLocation:
    """Where an item is written: file, 1-based line and byte column of its id."""

    file: Optional[str]
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Comparison:
    """A comparison of a rule's requirement, measured whether it holds or
    not: gap = threshold - value, exactly; figures None when a side is
    missing or not reached."""

    gap: Optional[Decimal]
    value: Optional[Decimal]
    threshold: Optional[Decimal]
    unit: str
    operator: str           #: "<", "<=", ">", ">=", "==", "!="
    name: Optional[str]     #: the input, parameter or indicator compared; None for an expression
    threshold_name: Optional[str]
    holds: Optional[bool]
    text: Optional[str]     #: the gap for people while it does not hold

    @property
    def strict(self) -> bool:
        return self.operator in ("<", ">")


@dataclass(frozen=True)
class UsedValue:
    """An input, parameter, indicator or table lookup a rule used, with its
    value in the evaluation as text (None when missing)."""

    name: str
    kind: str
    unit: str
    value: Optional[str]


def test_cases(p: int) -> Tuple[TestCase, ...]:
    need("rulebook_test_count")
    out = []
    for i in range(lib.rulebook_test_count(p)):
        records = tuple(
            tuple(TestFact(text(lib.rulebook_test_fact_name(p, i, r, j)) or "",
                           text(lib.rulebook_test_fact_value(p, i, r, j)),
                           lib.rulebook_test_fact_line(p, i, r, j),
                           lib.rulebook_test_fact_column(p, i, r, j))
                  for j in range(lib.rulebook_test_fact_count(p, i, r)))
            for r in range(lib.rulebook_test_record_count(p, i)))
        expects = []
        for j in range(lib.rulebook_test_expect_count(p, i)):
            places = lib.rulebook_test_expect_places(p, i, j)
            expects.append(TestExpectation(
                EXPECT_KINDS[lib.rulebook_test_expect_kind(p, i, j)],
                text(lib.rulebook_test_expect_name(p, i, j)) or "",
                text(lib.rulebook_test_expect_value(p, i, j)) or "",
                None if places < 0 else places,
                lib.rulebook_test_expect_line(p, i, j), lib.rulebook_test_expect_column(p, i, j)))
        out.append(TestCase(text(lib.rulebook_test_name(p, i)) or "",
                            int_to_date(lib.rulebook_test_as_of(p, i)),
                            lib.rulebook_test_line(p, i), lib.rulebook_test_column(p, i),
                            lib.rulebook_test_is_population(p, i) == 1, records, tuple(expects)))
    return tuple(out)


def rule_location(p: int, rule: int) -> SourceLocation:
    need("rulebook_item_column")
    return SourceLocation(text(lib.rulebook_item_file(p, _ITEM_RULE, rule)),
                          lib.rulebook_item_line(p, _ITEM_RULE, rule),
                          lib.rulebook_item_column(p, _ITEM_RULE, rule))


def comparisons(res: int, rule: int, fn: str = "rulebook_result_comparison"
                ) -> Tuple[Comparison, ...]:
    """The comparisons of a rule (or, with fn rulebook_result_gap_part, the
    parts of its gap)."""
    need(fn)
    call = getattr(lib, fn)

    def f(j: int, field: int) -> Optional[str]:
        return text(call(res, rule, j, field))

    out = []
    j = 0
    while True:
        op = f(j, _OPERATOR)  # NULL past the last comparison
        if op is None:
            break
        holds = f(j, _HOLDS)
        out.append(Comparison(dec(f(j, _VALUE)), dec(f(j, _ACTUAL)), dec(f(j, _THRESHOLD)),
                              f(j, _UNIT) or "", op, f(j, _NAME), f(j, _THRESHOLD_NAME),
                              None if holds is None else holds == "true", f(j, _TEXT)))
        j += 1
    return tuple(out)


def values_used(res: int, rule: int) -> Tuple[UsedValue, ...]:
    need("rulebook_result_used_count")
    return tuple(UsedValue(text(lib.rulebook_result_used_name(res, rule, j)) or "",
                           text(lib.rulebook_result_used_kind(res, rule, j)) or "",
                           text(lib.rulebook_result_used_unit(res, rule, j)) or "",
                           text(lib.rulebook_result_used_value(res, rule, j)))
                 for j in range(lib.rulebook_result_used_count(res, rule)))


def gap_parts(res: int, rule: int) -> Tuple[Comparison, ...]:
    return comparisons(res, rule, "rulebook_result_gap_part")


def target_missing(res: int, target: int) -> Tuple[str, ...]:
    need("rulebook_result_target_missing_count")
    return tuple(text(lib.rulebook_result_target_missing(res, target, j)) or ""
                 for j in range(lib.rulebook_result_target_missing_count(res, target)))


def class_missing(res: int, scorecard: int) -> Tuple[Tuple[str, str], ...]:
    need("rulebook_result_class_missing_count")
    return tuple((text(lib.rulebook_result_class_missing(res, scorecard, j)) or "",
                  text(lib.rulebook_result_class_missing_part(res, scorecard, j)) or "")
                 for j in range(lib.rulebook_result_class_missing_count(res, scorecard)))


def parents(p: int) -> Tuple[Tuple[str, str], ...]:
    need("rulebook_parent_count")
    return tuple((text(lib.rulebook_parent_id(p, i)) or "", text(lib.rulebook_parent_hash(p, i)) or "")
                 for i in range(lib.rulebook_parent_count(p)))


def population_consequences(pop: int, record: int, scorecard: int
                            ) -> Tuple[Tuple[str, Optional[Decimal], str], ...]:
    need("rulebook_population_consequence_count")
    return tuple((text(lib.rulebook_population_consequence_name(pop, record, scorecard, j)) or "",
                  dec(text(lib.rulebook_population_consequence_value(pop, record, scorecard, j))),
                  text(lib.rulebook_population_consequence_unit(pop, record, scorecard, j)) or "")
                 for j in range(lib.rulebook_population_consequence_count(pop, record, scorecard)))


def aggregate_undecided(pop: int, i: int) -> Tuple[Tuple[int, ...], Tuple[str, ...]]:
    need("rulebook_population_aggregate_undecided_count")
    return (tuple(lib.rulebook_population_aggregate_undecided(pop, i, j)
                  for j in range(lib.rulebook_population_aggregate_undecided_count(pop, i))),
            tuple(text(lib.rulebook_population_aggregate_missing(pop, i, j)) or ""
                  for j in range(lib.rulebook_population_aggregate_missing_count(pop, i))))
