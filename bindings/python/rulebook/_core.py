"""Rulebooks, results and populations over the C API."""
from __future__ import annotations

import ctypes
import datetime
import gc
import json
import os
import struct
import threading
import types
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import (Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple,
                    Union)

from . import _batch, _details, _lib, _lists, _loading, _packed
from ._declarations import Declarations
from ._exports import PopulationExports
from ._details import (Comparison, SourceLocation, TestCase, TestExpectation, TestFact,
                       UsedValue)
from ._errors import (ClosedError, Diagnostic, InvalidArgumentError, NotFoundError,
                      OutOfMemoryError, RulebookError, Status, diagnostics_of, raise_status)
from ._handle import Handle
from ._lib import lib, text, thread_error
from ._values import (DateLike, Value, as_of_int, date_to_int, dec, decimal_text, fact_error,
                      fact_json, int_to_date, is_decimal_text, typed)

__all__ = [
    "Rulebook", "Result", "RuleResult", "Gap", "Obligation", "RuleValue", "TargetResult",
    "ScorecardResult", "Component", "Consequence", "Population", "AggregateResult",
    "TestReport", "TestFailure", "Input", "Rule", "Parameter", "Target", "Scorecard",
    "Aggregate", "VERDICTS", "LIMITS", "TestCase", "TestFact", "TestExpectation",
    "SourceLocation", "Comparison", "UsedValue",
]

Facts = Mapping[str, Any]
PathLike = Union[str, "os.PathLike[str]"]

#: Verdict words indexed by rulebook_verdict.
VERDICTS: Tuple[str, ...] = ("invalid", "pass", "fail", "not_applicable", "exempt", "unknown",
                             "not_in_force", "error")

#: Names of rulebook_limit values, for ``Rulebook.load(limits=...)``.
LIMITS: Dict[str, int] = {
    "file_size": 0, "depth": 1, "nodes": 2, "scalar": 3, "expr_depth": 4, "expr_length": 5,
    "names": 6,
}

_OUT_LANG_EN = 0x1
_OUT_PRETTY = 0x2
_OUT_VERDICTS = 0x4

_TARGET_FIELDS = ("achieved", "target", "completion", "time_progress", "shortfall",
                  "needed_per_month")
_AGGREGATE_FIELDS = ("value", "numerator", "denominator", "counted", "threshold", "gap")


def _lang_flag(lang: str) -> int:
    if lang == "en":
        return _OUT_LANG_EN
    if lang == "zh":
        return 0
    raise InvalidArgumentError(f"lang must be 'zh' or 'en', not {lang!r}")


def _no_free(ptr: int) -> None:
    pass


class _NoFinalizer:
    """The finalizer of a result that holds no C memory of its own."""

    def __call__(self) -> None:
        pass

    def detach(self) -> None:
        pass


_NO_FINALIZER = _NoFinalizer()
_new_object = object.__new__
_CLASS_CODE = struct.Struct("=h")  # packed results: a class code, a score
# the names of the negative class codes (RULEBOOK_CLASS_*); -1, unknown, is None
_CLASS_NAMES = {-2: "not_rated", -3: "not_in_force", -4: "error"}
_SCORE = struct.Struct("=d")


def _take_json(ptr: int, length: int) -> str:
    return _lib.take_buffer(ptr, length) if length else ""


# ---------------------------------------------------------------------------
# What a rulebook declares
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Input:
    name: str
    type: str          #: number, integer, boolean, text, enum or date
    unit: str          #: "" when none
    index: int


@dataclass(frozen=True)
class Rule:
    id: str
    cite: str
    severity: str      #: info, minor, major or critical
    responsible: Tuple[str, ...]
    index: int


@dataclass(frozen=True)
class Parameter:
    name: str
    unit: str
    cite: str
    provenance: str    #: cited or illustrative
    index: int


@dataclass(frozen=True)
class Target:
    id: str
    cite: str
    unit: str
    responsible: Tuple[str, ...]
    index: int


@dataclass(frozen=True)
class Scorecard:
    id: str
    components: Tuple[str, ...]
    classes: Tuple[str, ...]   #: best first
    index: int


@dataclass(frozen=True)
class Aggregate:
    id: str
    cite: str
    index: int


@dataclass(frozen=True)
class TestFailure:
    case: str
    check: str
    expected: str
    actual: str
    line: int
    column: int = 0  #: of the expected value (or of the fact that could not be set)


@dataclass(frozen=True)
class TestReport:
    """The outcome of a rulebook's own ``tests:``."""

    passed: int
    failed: int
    failures: Tuple[TestFailure, ...]

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def __str__(self) -> str:
        lines = [f"{self.passed} passed, {self.failed} failed"]
        for f in self.failures:
            lines.append(f"  line {f.line}:{f.column}: {f.case}: {f.check}: expected "
                         f"{f.expected}, got {f.actual}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """For a failed comparison: the change needed to reach the threshold."""

    value: Optional[Decimal]
    actual: Optional[Decimal]
    threshold: Optional[Decimal]
    unit: Optional[str]
    text: str            #: e.g. "+4.2 万元/亩"; ">+0.5%" when the value must exceed it
    strict: bool = False  #: the requirement is a strict comparison (> or <)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Obligation:
    id: str
    value: Optional[Decimal]
    unit: Optional[str]


@dataclass(frozen=True)
class RuleValue:
    """A value a rule used: an input, parameter, indicator or table lookup."""

    value: Optional[Value]
    unit: Optional[str]
    kind: str                      #: input, parameter, indicator or table
    provenance: Optional[str] = None
    cite: Optional[str] = None
    key: Optional[str] = None      #: for a table lookup, the row's key: "far_min[26]"
    document: Optional[int] = None  #: index of the cited document (the result's documents)


@dataclass(frozen=True)
class RulePart:
    """One rule of an all_of / any_of rule, with its verdict and gap."""

    rule: str
    verdict: str
    cite: Optional[str]
    gap: Optional[str]


class RuleResult:
    """The outcome of one rule for one record."""

    __slots__ = ("_result", "_lang", "index", "id", "verdict", "exception", "exception_cite",
                 "missing", "error", "cite", "file", "title", "severity", "responsible",
                 "illustrative", "gap", "values", "obligations", "_message", "document",
                 "parts", "parts_mode")

    def __init__(self, result: "Result", index: int, d: Dict[str, Any], lang: str,
                 input_types: Mapping[str, str]):
        self._result = result
        self._lang = lang
        self.index = index
        self.id: str = d["id"]
        self.verdict: str = d["verdict"]
        exc = d.get("exception")
        self.exception: Optional[str] = exc["id"] if exc else None
        self.exception_cite: Optional[str] = exc["cite"] if exc else None
        self.missing: Tuple[str, ...] = tuple(d.get("missing") or ())
        self.error: Optional[str] = d.get("error")
        self.cite: Optional[str] = d.get("cite")
        self.file: Optional[str] = d.get("file")
        self.title: Optional[str] = d.get("title")
        self.severity: Optional[str] = d.get("severity")
        self.responsible: Tuple[str, ...] = tuple(d.get("responsible") or ())
        self.illustrative: bool = bool(d.get("illustrative"))
        #: index of the document the rule cites, in the result's JSON "documents"
        self.document: Optional[int] = d.get("document")
        #: "all_of" or "any_of" for a rule that requires other rules, else None
        self.parts_mode: Optional[str] = ("all_of" if "all_of" in d
                                          else "any_of" if "any_of" in d else None)
        self.parts: Tuple[RulePart, ...] = tuple(
            RulePart(p["rule"], p["verdict"], p.get("cite"), p.get("gap"))
            for p in (d.get(self.parts_mode) or () if self.parts_mode else ()))
        g = d.get("gap")
        self.gap: Optional[Gap] = None if not g else Gap(
            dec(g.get("value")), dec(g.get("actual")), dec(g.get("threshold")), g.get("unit"),
            g.get("text") or "", bool(g.get("strict")))
        self.values: Dict[str, RuleValue] = {}
        for name, v in (d.get("values") or {}).items():
            kind = v.get("kind")
            self.values[name] = RuleValue(
                typed(v.get("value"), input_types.get(name) if kind == "input" else None),
                v.get("unit"), kind, v.get("provenance"), v.get("cite"), v.get("key"),
                v.get("document"))
        self.obligations: Tuple[Obligation, ...] = tuple(
            Obligation(o["id"], dec(o.get("value")), o.get("unit"))
            for o in d.get("obligations") or ())
        self._message: Optional[str] = d.get("message")

    def message(self, lang: str = "zh") -> str:
        """The rendered message in lang ("zh" or "en"); "" if the rule has none."""
        if lang == self._lang and self._message is not None:
            return self._message
        return self._result._message(self.index, lang)

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    @property
    def failed(self) -> bool:
        return self.verdict == "fail"

    def __repr__(self) -> str:
        extra = f" exception={self.exception!r}" if self.exception else ""
        if self.missing:
            extra += f" missing={list(self.missing)!r}"
        if self.gap:
            extra += f" gap={self.gap.text!r}"
        return f"<RuleResult {self.id} {self.verdict}{extra}>"


@dataclass(frozen=True)
class TargetResult:
    id: str
    status: str       #: met, on_pace, behind_pace, missed, not_started, unknown, not_in_force
    flagged: bool     #: behind pace or missed
    cite: Optional[str]
    title: Optional[str]
    unit: Optional[str]
    responsible: Tuple[str, ...]
    achieved: Optional[Decimal]
    target: Optional[Decimal]
    completion: Optional[Decimal]
    time_progress: Optional[Decimal]
    shortfall: Optional[Decimal]
    needed_per_month: Optional[Decimal]
    #: index of the document its citation names (the result's documents), or None
    document: Optional[int] = None


@dataclass(frozen=True)
class Component:
    id: str
    unit: Optional[str]
    value: Optional[Decimal]
    ratio: Optional[Decimal]
    weight: Optional[Decimal]
    points: Optional[Decimal]


@dataclass(frozen=True)
class Consequence:
    id: str
    value: Optional[Decimal]
    unit: Optional[str]
    cite: Optional[str] = None
    document: Optional[int] = None  #: index of the cited document, or None


@dataclass(frozen=True)
class ScorecardResult:
    id: str
    class_: Optional[str]   #: a class id, "not_rated", "not_in_force", "error" or None (unknown)
    score: Optional[Decimal]
    veto: Optional[str]
    cite: Optional[str]
    components: Tuple[Component, ...]
    consequences: Tuple[Consequence, ...]
    #: index of the document its citation names (the result's documents), or None
    document: Optional[int] = None
    veto_cite: Optional[str] = None          #: the citation of the veto that applied
    veto_document: Optional[int] = None


def _convert_result_dict(d: Dict[str, Any], input_types: Mapping[str, str]) -> Dict[str, Any]:
    """Turn the decimal strings of a result object into Decimal (in place)."""
    for r in d.get("rules") or ():
        g = r.get("gap")
        if g:
            for k in ("value", "actual", "threshold"):
                g[k] = dec(g.get(k))
        for name, v in (r.get("values") or {}).items():
            if v.get("kind") == "input" and input_types.get(name) not in ("number", "integer"):
                continue
            if is_decimal_text(v.get("value")):
                v["value"] = Decimal(v["value"])
        for o in r.get("obligations") or ():
            o["value"] = dec(o.get("value"))
    for t in d.get("targets") or ():
        for k in _TARGET_FIELDS:
            t[k] = dec(t.get(k))
    for s in d.get("scorecards") or ():
        s["score"] = dec(s.get("score"))
        for c in s.get("components") or ():
            for k in ("value", "ratio", "weight", "points"):
                c[k] = dec(c.get(k))
        for q in s.get("consequences") or ():
            q["value"] = dec(q.get("value"))
    return d


class Result:
    """The evaluation of one record: verdicts, values, messages, targets and
    scorecards.

    A result from :meth:`Rulebook.evaluate` holds a C result object; one
    from :meth:`Rulebook.evaluate_many` holds the JSON the library returned
    (verdicts, exceptions and missing inputs; everything with
    ``details=True``) and evaluates its record again, once, only when
    something that JSON lacks is asked for. Free it with :meth:`close` or a
    ``with`` block; it is also freed when garbage collected.
    """

    # From Rulebook.evaluate: the packed bytes (class codes and verdicts,
    # then the record), the thread's packed state and which of its
    # evaluations this was, and the token that keeps the rulebook alive.
    _snap: Optional[bytearray] = None
    _pkstate: Optional[_packed.State] = None
    _gen = 0
    _pktoken: Optional[_packed.Token] = None
    # What a packed result starts with (results from JSON set their own):
    # no C result of its own yet, nothing read from JSON (the dicts are
    # made on first write), and one lock for evaluating again, which is rare.
    _h: Optional[Handle] = None
    _facts: Optional[Dict[str, Any]] = None
    _brief: Optional[Dict[str, Any]] = None
    _raw: Mapping[str, Dict[str, Any]] = types.MappingProxyType({})
    _dicts: Mapping[str, Dict[str, Any]] = types.MappingProxyType({})
    _rules: Mapping[str, Tuple[RuleResult, ...]] = types.MappingProxyType({})
    _closed = False
    _lock = threading.Lock()
    _token: Optional[Handle] = None
    _finalizer: Any = _NO_FINALIZER

    def __init__(self) -> None:  # use Rulebook.evaluate / evaluate_many
        raise TypeError("results are made by Rulebook.evaluate() and evaluate_many()")

    @classmethod
    def _packed(cls, rb: "Rulebook", as_of: int, snap: bytearray, st: _packed.State, gen: int,
                token: _packed.Token) -> "Result":
        self = object.__new__(cls)
        self._rb = rb
        self._as_of = as_of
        self._snap = snap
        self._pkstate = st
        self._gen = gen
        self._pktoken = token
        return self

    @classmethod
    def _new(cls, rb: "Rulebook", as_of: int, handle: Optional[Handle],
             data: Optional[Dict[str, Any]] = None, lang: str = "zh",
             facts: Optional[Dict[str, Any]] = None, full: bool = False) -> "Result":
        self = object.__new__(cls)
        self._rb = rb
        self._as_of = as_of
        self._h = handle
        self._facts = facts
        # _brief: the JSON evaluate_many() got (verdicts, exceptions, missing
        # inputs; everything when full); _raw: full JSON objects by language.
        self._brief: Optional[Dict[str, Any]] = data
        self._raw: Dict[str, Dict[str, Any]] = {}
        if data is not None and full:
            self._raw[lang] = data
        self._dicts: Dict[str, Dict[str, Any]] = {}
        self._rules: Dict[str, Tuple[RuleResult, ...]] = {}
        self._closed = False
        self._lock = threading.Lock()  # evaluating the record again happens once
        # A result read from JSON holds a token in place of a C result: it
        # keeps the rulebook alive so the record can be evaluated again.
        self._token = None if handle else Handle(1, _no_free, "result", parent=rb._h)
        self._finalizer = weakref.finalize(self, (handle or self._token).close)
        return self

    # -- lifetime --------------------------------------------------------------

    def close(self) -> None:
        """Free the C memory now. Reading a closed result raises ClosedError."""
        self._closed = True
        self._finalizer()

    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def _handle(self) -> Handle:
        """The C result, evaluating the record again if this result came
        from JSON."""
        if self._closed:
            raise ClosedError("the result is closed")
        if self._h is None:
            with self._lock:
                if self._h is None and self._snap is not None:
                    # the packed record, evaluated again into a C result of its own
                    h = self._rb._evaluate_packed_handle(self._snap, self._as_of)
                    self._finalizer = weakref.finalize(self, h.close)
                    self._h = h
                elif self._h is None:
                    assert self._facts is not None and self._token is not None
                    h = self._rb._evaluate_handle(self._facts, self._as_of, dependent=True)
                    # The new handle keeps the rulebook alive in place of the token.
                    token, self._token = self._token, None
                    self._finalizer.detach()
                    self._finalizer = weakref.finalize(self, h.close)
                    self._h = h
                    token.close()
        return self._h

    def _current(self) -> Optional[_packed.State]:
        """The thread state whose C result still holds this packed result's
        evaluation (its lock must then be held while reading it)."""
        st = self._pkstate
        if st is None or self._h is not None:
            return None
        if self._closed:
            raise ClosedError("the result is closed")
        return st

    def _call(self, fn: Any, *args: Any) -> Any:
        st = self._current()
        if st is not None:
            with st.lock:
                if st.gen == self._gen:
                    return fn(st.res, *args)
        h = self._handle()
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the result is closed")
            return fn(h.ptr, *args)

    def _out(self, fn: Any, flags: int) -> str:
        p = ctypes.c_void_p()
        n = ctypes.c_size_t()
        st = self._current()
        if st is not None:
            with st.lock:
                if st.gen == self._gen:
                    rc = fn(st.res, flags, ctypes.byref(p), ctypes.byref(n))
                    if rc:
                        raise_status(rc)
                    return _take_json(p.value, n.value)
        h = self._handle()
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the result is closed")
            st = fn(h.ptr, flags, ctypes.byref(p), ctypes.byref(n))
            if st:
                raise_status(st)
            return _take_json(p.value, n.value)

    # -- identity --------------------------------------------------------------

    @property
    def rulebook(self) -> "Rulebook":
        return self._rb

    @property
    def as_of(self) -> datetime.date:
        d = int_to_date(self._as_of)
        assert d is not None
        return d

    @property
    def record_id(self) -> Optional[str]:
        """The record's "_id", or None."""
        raw = self._brief
        if raw is not None:
            return raw.get("record")
        return text(self._call(lib.rulebook_result_record_id))

    def _packed_bytes(self) -> Optional[bytearray]:
        """The packed class codes and verdicts, or None (not from evaluate())."""
        if self._snap is None:
            return None
        if self._closed:
            raise ClosedError("the result is closed")
        return self._snap

    def _any_raw(self) -> Optional[Dict[str, Any]]:
        """Some JSON of this result: what evaluate_many() got, else None."""
        if self._closed:
            raise ClosedError("the result is closed")
        return self._brief

    # -- verdicts --------------------------------------------------------------

    @property
    def verdicts(self) -> Dict[str, str]:
        """Rule id -> verdict, in the rulebook's order."""
        snap = self._snap
        if snap is not None and not self._closed:
            rb = self._rb
            # records share few combinations of verdicts: each dict is made
            # once per combination and copied
            codes = bytes(snap[rb._packer.verdicts])
            d = rb._verdict_dicts.get(codes)
            if d is None:
                d = dict(zip(rb._rule_ids, map(VERDICTS.__getitem__, codes)))
                if len(rb._verdict_dicts) < 4096:
                    rb._verdict_dicts[codes] = d
            return d.copy()
        self._packed_bytes()  # ClosedError when closed
        raw = self._any_raw()
        if raw is not None:
            return {r["id"]: r["verdict"] for r in raw["rules"]}
        rules = self._rb.rules
        h = self._handle()
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the result is closed")
            return {r.id: VERDICTS[lib.rulebook_result_verdict(h.ptr, r.index)] for r in rules}

    @property
    def counts(self) -> Dict[str, int]:
        """How many rules got each verdict."""
        snap = self._packed_bytes()
        if snap is not None:
            at = self._rb._packer.verdict_at
            c = [0] * 8
            for v in snap[at:at + len(self._rb.rules)]:
                c[v] += 1
            return {VERDICTS[v]: c[v] for v in range(1, 8)}
        raw = self._any_raw()
        if raw is not None:
            return dict(raw["counts"])
        out = (ctypes.c_uint32 * 8)()
        self._call(lib.rulebook_result_counts, out)
        return {VERDICTS[v]: out[v] for v in range(1, 8)}

    def verdict(self, rule: str) -> str:
        """The verdict of one rule."""
        snap = self._packed_bytes()
        if snap is not None:
            return VERDICTS[snap[self._rb._packer.verdict_at + self._rb._rule_index(rule)]]
        raw = self._any_raw()
        if raw is None:
            return VERDICTS[self._call(lib.rulebook_result_verdict, self._rb._rule_index(rule))]
        for r in raw["rules"]:
            if r["id"] == rule:
                return r["verdict"]
        return self._missing_rule(rule)

    def _missing_rule(self, rule: str) -> Any:
        raise NotFoundError(f"no rule '{rule}' in rulebook '{self._rb.id}'", status=Status.NOT_FOUND)

    def rules_in(self, lang: str = "zh") -> Tuple[RuleResult, ...]:
        """Every rule's outcome, messages and titles in lang."""
        got = self._rules.get(lang) if not self._closed else None
        if got is None:
            raw = self._raw_dict(lang)
            types = self._rb._input_types
            got = tuple(RuleResult(self, i, d, lang, types) for i, d in enumerate(raw["rules"]))
            if type(self._rules) is not dict:
                self._rules = {}
            self._rules[lang] = got
        return got

    @property
    def rules(self) -> Tuple[RuleResult, ...]:
        """Every rule's outcome (titles and messages in Chinese; use
        :meth:`rules_in` or ``message("en")`` for English)."""
        return self.rules_in("zh")

    def rule(self, rule_id: str, lang: str = "zh") -> RuleResult:
        for r in self.rules_in(lang):
            if r.id == rule_id:
                return r
        return self._missing_rule(rule_id)

    def __getitem__(self, rule_id: str) -> RuleResult:
        return self.rule(rule_id)

    def __iter__(self) -> Iterator[RuleResult]:
        return iter(self.rules)

    def with_verdict(self, *verdicts: str) -> List[RuleResult]:
        """The rules whose verdict is one of verdicts ("fail", "unknown", ...)."""
        return [r for r in self.rules if r.verdict in verdicts]

    @property
    def failed(self) -> List[RuleResult]:
        return self.with_verdict("fail")

    # -- values and text -------------------------------------------------------

    def value(self, name: str) -> Optional[Value]:
        """An input, parameter or indicator after evaluation: Decimal for
        numbers (in the declared unit), bool, datetime.date or str; None when
        missing, unknown or not a name of the rulebook."""
        kind = self._rb._input_types.get(name)
        if self._h is None and self._raw:
            for r in self.rules_in(next(iter(self._raw))):
                v = r.values.get(name)
                if v is not None:
                    return v.value
        return typed(text(self._call(lib.rulebook_result_value, name.encode())), kind)

    def _message(self, index: int, lang: str) -> str:
        _lang_flag(lang)
        return text(self._call(lib.rulebook_result_message, index, lang.encode())) or ""

    def message(self, rule_id: str, lang: str = "zh") -> str:
        return self.rule(rule_id).message(lang)

    def explain(self, lang: str = "zh") -> str:
        """A plain-text explanation of every rule for a person."""
        return self._out(lib.rulebook_result_explain, _lang_flag(lang))

    def to_json(self, lang: str = "zh", pretty: bool = False,
                verdicts_only: bool = False) -> str:
        """The result as JSON text (schema in docs/api.md)."""
        flags = _lang_flag(lang) | (_OUT_PRETTY if pretty else 0) | \
            (_OUT_VERDICTS if verdicts_only else 0)
        return self._out(lib.rulebook_result_json, flags)

    def _some_raw(self) -> Dict[str, Any]:
        if self._closed:
            raise ClosedError("the result is closed")
        for raw in self._raw.values():
            return raw
        return self._raw_dict("zh")

    def _raw_dict(self, lang: str) -> Dict[str, Any]:
        if self._closed:
            raise ClosedError("the result is closed")
        raw = self._raw.get(lang)
        if raw is None:
            raw = json.loads(self.to_json(lang))
            if type(self._raw) is not dict:
                self._raw = {}
            self._raw[lang] = raw
        return raw

    def to_dict(self, lang: str = "zh") -> Dict[str, Any]:
        """The JSON result as a dict, with decimal strings that are values
        (gaps, values, obligations, target figures, scores) as Decimal."""
        d = self._dicts.get(lang)
        if d is None:
            d = _convert_result_dict(json.loads(json.dumps(self._raw_dict(lang))),
                                     self._rb._input_types)
            if type(self._dicts) is not dict:
                self._dicts = {}
            self._dicts[lang] = d
        return _deep_copy(d)

    # -- targets and scorecards ------------------------------------------------

    @property
    def targets(self) -> Dict[str, TargetResult]:
        """Target id -> status and figures."""
        out = {}
        for t in self._some_raw()["targets"]:
            out[t["id"]] = TargetResult(
                t["id"], t["status"], bool(t.get("flagged")), t.get("cite"), t.get("title"),
                t.get("unit"), tuple(t.get("responsible") or ()),
                *(dec(t.get(k)) for k in _TARGET_FIELDS), t.get("document"))
        return out

    @property
    def scorecards(self) -> Dict[str, ScorecardResult]:
        """Scorecard id -> class, score, veto, components and consequences."""
        out = {}
        for s in self._some_raw()["scorecards"]:
            out[s["id"]] = ScorecardResult(
                s["id"], s.get("class"), dec(s.get("score")), s.get("veto"), s.get("cite"),
                tuple(Component(c["id"], c.get("unit"), dec(c.get("value")), dec(c.get("ratio")),
                                dec(c.get("weight")), dec(c.get("points")))
                      for c in s.get("components") or ()),
                tuple(Consequence(q["id"], dec(q.get("value")), q.get("unit"), q.get("cite"),
                                  q.get("document"))
                      for q in s.get("consequences") or ()),
                s.get("document"), s.get("veto_cite"), s.get("veto_document"))
        return out

    def comparisons(self, rule: str) -> Tuple[Comparison, ...]:
        """Every comparison of the rule's requirement (those joined by its
        top-level 'and' and 'or'), measured whether it holds or not."""
        i = self._rb._rule_index(rule)
        return self._call(_details.comparisons, i)

    def values_used(self, rule: str) -> Tuple[UsedValue, ...]:
        """The inputs, parameters, indicators and table lookups the rule
        used, with their values in this evaluation."""
        i = self._rb._rule_index(rule)
        return self._call(_details.values_used, i)

    def gap_parts(self, rule: str) -> Tuple[Comparison, ...]:
        """The parts of a failed rule's gap, exactly (every failed part of
        an 'and', the nearest alternative of an 'or'); () when it did not
        fail."""
        i = self._rb._rule_index(rule)
        return self._call(_details.gap_parts, i)

    def illustrative(self, rule: str) -> Optional[bool]:
        """Whether the rule's verdict rests on an illustrative parameter
        along the branches this record took."""
        _details.need("rulebook_result_illustrative")
        v = self._call(lib.rulebook_result_illustrative, self._rb._rule_index(rule))
        return None if v < 0 else bool(v)

    def error(self, rule: str) -> Optional[str]:
        """Why a rule's verdict is "error" ("division by zero", ...), else None."""
        _details.need("rulebook_result_error")
        return text(self._call(lib.rulebook_result_error, self._rb._rule_index(rule)))

    def target_missing(self, target: str) -> Tuple[str, ...]:
        """For an unknown target, the inputs and parameters without a value."""
        for t in self._rb.targets:
            if t.id == target:
                return self._call(_details.target_missing, t.index)
        raise NotFoundError(f"no target '{target}' in rulebook '{self._rb.id}'",
                            status=Status.NOT_FOUND)

    def class_error(self, scorecard: Optional[str] = None) -> Optional[str]:
        """When the class is "error", why; else None."""
        _details.need("rulebook_result_class_error")
        return text(self._call(lib.rulebook_result_class_error,
                               self._rb._scorecard_index(scorecard)))

    def class_missing(self, scorecard: Optional[str] = None) -> Tuple[Tuple[str, str], ...]:
        """When missing data leaves the class undecided: (name, part) pairs,
        part "scope", "veto:ID", "component:ID" or "class:ID"."""
        return self._call(_details.class_missing, self._rb._scorecard_index(scorecard))

    @property
    def decided_exactly(self) -> Optional[bool]:
        """True when the verdicts were decided in exact decimals (a value
        next to a threshold, or exact_only), False when the binary run
        decided them."""
        _details.need("rulebook_result_decided_exactly")
        v = self._call(lib.rulebook_result_decided_exactly)
        return None if v < 0 else bool(v)

    def class_of(self, scorecard: Optional[str] = None) -> Optional[str]:
        """The class in a scorecard (the only one when not named): a class
        id, "not_rated", "not_in_force", "error", or None when missing data
        leaves it undecided."""
        rb = self._rb
        k = rb._scorecard_idx.get(scorecard)  # type: ignore[arg-type]
        if k is None:
            k = rb._scorecard_index(scorecard)
        snap = self._snap
        if snap is None or self._closed:
            snap = self._packed_bytes()
            if snap is None:
                return self._some_raw()["scorecards"][k].get("class")
        c = _CLASS_CODE.unpack_from(snap, rb._packer.class_at + 2 * k)[0]
        if c >= 0:
            return rb.scorecards[k].classes[c]
        return _CLASS_NAMES.get(c)

    def score(self, scorecard: Optional[str] = None) -> Optional[Decimal]:
        """The exact score in a scorecard (the only one when not named);
        None when the record has none."""
        k = self._rb._scorecard_index(scorecard)
        if self._snap is None and self._h is None:
            return dec(self._some_raw()["scorecards"][k].get("score"))
        return dec(text(self._call(lib.rulebook_result_score, k)))

    def score_float(self, scorecard: Optional[str] = None) -> Optional[float]:
        """The score in a scorecard as a float (the only one when not
        named); None when the record has none. From evaluate() it comes
        with the verdicts, without another call into the library: within
        2^-43 of the exact score, relatively (rulebook_result_score_double).
        Otherwise the exact score's nearest float."""
        rb = self._rb
        k = rb._scorecard_idx.get(scorecard)  # type: ignore[arg-type]
        if k is None:
            k = rb._scorecard_index(scorecard)
        snap = self._snap
        if snap is not None and self._closed:
            snap = self._packed_bytes()  # ClosedError
        if snap is not None:
            pk = rb._packer
            if pk.scored:
                return _SCORE.unpack_from(snap, 8 * k)[0] if snap[pk.flag_at + k] else None
        d = self.score(scorecard)
        return None if d is None else float(d)

    def __repr__(self) -> str:
        if self._closed:
            return "<Result closed>"
        c = self.counts
        summary = " ".join(f"{k}={v}" for k, v in c.items() if v)
        rid = self.record_id
        return f"<Result {self._rb.id}{' ' + rid if rid else ''} {self.as_of} {summary}>"


def _deep_copy(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _deep_copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_deep_copy(x) for x in v]
    return v


# ---------------------------------------------------------------------------
# Populations
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AggregateResult:
    id: str
    cite: Optional[str]
    verdict: str
    value: Optional[Decimal]
    numerator: Optional[Decimal]
    denominator: Optional[Decimal]
    counted: Optional[int]
    threshold: Optional[Decimal]
    gap: Optional[str]            #: the change needed, with its unit
    records: Tuple[int, ...]      #: indices of the records counted



def _check_threads(threads: Optional[int]) -> None:
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise InvalidArgumentError(f"threads must be an int of at least 1, not {threads!r}")


def _set_threads(pop: int, threads: Optional[int]) -> None:
    """How many threads the batch calls into pop may use (None: one per
    CPU); nothing with a library that cannot."""
    if lib.rulebook_population_set_threads is not None:
        lib.rulebook_population_set_threads(pop, 0 if threads is None else threads)


class Population(PopulationExports):
    """Records evaluated together as of one date: their verdicts, scores and
    classes (ranked classes are decided over the whole population) and the
    rulebook's aggregates. Made by :meth:`Rulebook.population`."""

    def __init__(self) -> None:
        raise TypeError("populations are made by Rulebook.population()")

    @classmethod
    def _new(cls, rb: "Rulebook", as_of: int, handle: Handle) -> "Population":
        self = object.__new__(cls)
        self._rb = rb
        self._as_of = as_of
        self._h = handle
        self._refused: Tuple[RulebookError, ...] = ()
        self._finalizer = weakref.finalize(self, handle.close)
        return self

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> "Population":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._h.closed

    def _call(self, fn: Any, *args: Any) -> Any:
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            return fn(h.ptr, *args)

    @property
    def rulebook(self) -> "Rulebook":
        return self._rb

    @property
    def as_of(self) -> datetime.date:
        d = int_to_date(self._as_of)
        assert d is not None
        return d

    def __len__(self) -> int:
        return self._call(lib.rulebook_population_size)

    @property
    def refused(self) -> Tuple[RulebookError, ...]:
        """With ``Rulebook.population(..., skip_bad=True)``: the records that
        were left out, one error each (a :class:`FactError` or
        :class:`NumberRangeError`) whose ``record`` is the index of the
        record in the list given, ``subject`` the input and ``message`` the
        reason. Empty otherwise."""
        return self._refused

    @property
    def bad_rows(self) -> Tuple[int, ...]:
        """The indices (in the list given to ``population()``) of the
        records left out by ``skip_bad=True``; see :attr:`refused`."""
        return tuple(e.record for e in self._refused)  # type: ignore[misc]

    def add(self, record: Facts, *, ignore_unknown: bool = False) -> int:
        """Evaluate one more record and add it; returns its index. With
        :meth:`copy`, a what-if: copy, add the proposed record, compare.
        A record with a bad value raises (FactError naming the input) and
        leaves the population as it was."""
        rbh = self._rb._h
        rbh.acquire(dependent=True)  # this population keeps it alive anyway
        try:
            h = self._h
            if lib.rulebook_population_add_table is not None:
                with h.lock:
                    if h.ptr is None:
                        raise ClosedError("the population is closed")
                    n = lib.rulebook_population_size(h.ptr)
                    self._rb._add_batch(h.ptr, [record], n, ignore_unknown, False)
                    return n
            f = self._rb._take_facts()
            try:
                with h.lock:
                    if h.ptr is None:
                        raise ClosedError("the population is closed")
                    n = lib.rulebook_population_size(h.ptr)
                    self._rb._add_records(h.ptr, f, [record], n, ignore_unknown)
                    return n
            finally:
                self._rb._give_facts(f)
        finally:
            rbh.release()

    def copy(self) -> "Population":
        """A new population with the same records."""
        p = self._call(lib.rulebook_population_copy)
        if not p:
            raise OutOfMemoryError("out of memory")
        return Population._new(self._rb, self._as_of,
                               Handle(p, lib.rulebook_population_free, "population",
                                      parent=self._rb._h))

    def report_html(self, records: Optional[Iterable[Facts]] = None, *, lang: str = "zh",
                    data: Optional[str] = None, yellow_behind: Any = None,
                    red_behind: Any = None, ignore_unknown: bool = False) -> str:
        """The population as one self-contained HTML page (no script, no
        network, prints on A4): classes, ranking, failures per rule and per
        responsible unit, targets with green/yellow/red lights, aggregates
        (rulebook_population_report_html; docs/report.md).

        records: the records the population was made from, in the same
        order; they are evaluated once more in one call for the messages,
        gaps, values and target figures the page shows. Without them the
        page holds what the population keeps (verdicts, classes, scores,
        aggregates). data names the data in the header; yellow_behind and
        red_behind are the light thresholds in points (default 10 and 30).
        """
        settings: Dict[str, str] = {"lang": lang}
        _lang_flag(lang)
        if data is not None:
            settings["data"] = str(data)
        if yellow_behind is not None:
            settings["yellow_behind"] = str(yellow_behind)
        if red_behind is not None:
            settings["red_behind"] = str(red_behind)
        results = None
        if records is not None:
            rb = self._rb
            recs = [rb._known(r) for r in records] if ignore_unknown else list(records)
            if recs:
                body = "[\n" + ",\n".join(rb._record_json(r) for r in recs) + "\n]"
                results = rb._eval_json(body, self._as_of, _lang_flag(lang), len(recs))
            else:
                results = "[]"
        if lib.rulebook_population_report_html is None:
            raise RulebookError("this librulebook has no rulebook_population_report_html")
        rbuf = results.encode("utf-8") if results is not None else None
        sbuf = json.dumps(settings).encode("utf-8")
        out = ctypes.c_void_p()
        n = ctypes.c_size_t()
        err = thread_error()
        st = self._call(lib.rulebook_population_report_html, rbuf, len(rbuf) if rbuf else 0,
                        sbuf, len(sbuf), ctypes.byref(out), ctypes.byref(n), err)
        if st:
            raise_status(st, err)
        try:
            return _take_json(out.value, n.value)
        finally:
            lib.rulebook_mem_free(out)

    @classmethod
    def _adopt(cls, rb: "Rulebook", as_of: int, ptr: int) -> "Population":
        """Wrap a population the library made for rb (this object frees it)."""
        return cls._new(rb, as_of, Handle(ptr, lib.rulebook_population_free, "population",
                                          parent=rb._h))

    def merge(self, other: "Population") -> None:
        """Append the records of other (left unchanged) as if they had been
        added here: aggregates, classes by rank and averages are then those
        of one population over both. Populations evaluated separately --
        slices of a frame, Dask partitions -- merge into the population of
        them all. Both must come from the same rulebook (the same hash)
        and as-of date."""
        _need("rulebook_population_merge")
        if other is self:
            self._call(lambda p: _check(lib.rulebook_population_merge(p, p, thread_error())))
            return
        oh = other._h
        optr = oh.acquire()
        try:
            err = thread_error()
            st = self._call(lib.rulebook_population_merge, optr, err)
            if st:
                raise_status(st, err)
        finally:
            oh.release()

    def to_bytes(self, deferred: bool = False) -> bytes:
        """The population as bytes (rulebook_population_save), for
        :meth:`Rulebook.load_population` in another process with the same
        rulebook and library version; pickling uses this. With
        ``deferred=True`` (rulebook_population_save_deferred) the exact
        scores not computed yet stay so: the bytes carry those records'
        inputs, and the loaded population computes the same scores when
        they are read -- quicker to write, larger."""
        fn = "rulebook_population_save_deferred" if deferred else "rulebook_population_save"
        _need(fn)
        p = ctypes.c_void_p()
        n = ctypes.c_size_t()
        st = self._call(getattr(lib, fn), ctypes.byref(p), ctypes.byref(n))
        if st:
            raise_status(st)
        try:
            return ctypes.string_at(p.value, n.value)
        finally:
            lib.rulebook_mem_free(p.value)

    def __reduce__(self) -> Any:
        return (_load_population, (self._rb, self.to_bytes()))

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The results of every record as an Arrow stream of one record
        batch (the Arrow PyCapsule interface), for pyarrow.table(pop),
        polars.from_arrow(pop), DuckDB and other Arrow readers: ``_id``
        (utf8), one verdict column per rule (dictionary-encoded strings),
        and per scorecard ``<id>.class`` (dictionary-encoded strings, null
        when undecided) and ``<id>.score`` (decimal128, exact). A copy: it
        stays valid after the population is closed. requested_schema is
        not applied (the Arrow PyCapsule interface lets a producer decline
        it)."""
        _need("rulebook_population_results_arrow_stream")
        from . import _arrow

        def fill(stream: Any) -> None:
            err = thread_error()
            st = self._call(lib.rulebook_population_results_arrow_stream, stream, err)
            if st:
                raise_status(st, err)
        return _arrow.stream_capsule(fill)

    def verdict_matrix(self) -> Any:
        """Every record's verdicts in one call, as a numpy array of uint8
        (records × rules, in the rulebook's rule order); the codes are the
        indices of VERDICTS (1 pass, 2 fail, ...). Needs numpy."""
        _need("rulebook_population_verdicts")
        import numpy
        return self._bulk_array(lambda n: numpy.zeros((n, len(self._rb.rules)), dtype=numpy.uint8),
                                lib.rulebook_population_verdicts)

    def _bulk_array(self, make: Any, fn: Any, *args: Any) -> Any:
        """The array make(records) filled by fn(population, *args, data), under
        the population's lock."""
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            out = make(lib.rulebook_population_size(h.ptr))
            _check(fn(h.ptr, *args, out.ctypes.data))
            return out

    def class_codes(self, scorecard: Optional[str] = None) -> Any:
        """Every record's class in one call, as a numpy array of int16: the
        index of the class in the scorecard's ``classes`` (0 the best), -1
        unknown, -2 not rated, -3 not in force, -4 error (a parameter makes
        a component's figures meaningless on the date). Needs numpy."""
        _need("rulebook_population_classes")
        import numpy
        return self._bulk_array(lambda n: numpy.zeros(n, dtype=numpy.int16),
                                lib.rulebook_population_classes, self._scorecard(scorecard))

    def score_texts(self, scorecard: Optional[str] = None) -> List[str]:
        """Every record's exact score as decimal text in one call ("" where
        a record has none)."""
        _need("rulebook_population_scores_text")
        k = self._scorecard(scorecard)
        p = ctypes.c_void_p()
        n = ctypes.c_size_t()
        _check(self._call(lib.rulebook_population_scores_text, k, ctypes.byref(p),
                          ctypes.byref(n)))
        try:
            data = ctypes.string_at(p.value, n.value).decode("ascii")
        finally:
            lib.rulebook_mem_free(p.value)
        return data.split("\n")[:-1]

    def score_values(self, scorecard: Optional[str] = None) -> Any:
        """Every record's score as a double in one call, as a numpy array of
        float64 (NaN where a record has none): for a record decided in
        binary with a tight error bound, its binary score (within 2^-43 of
        the exact score, relatively), so no exact score is computed; else
        the exact score's nearest double (rulebook_population_scores_double).
        Needs numpy."""
        import numpy
        if lib.rulebook_population_scores_double is None:
            texts = numpy.array([t or "nan" for t in self.score_texts(scorecard)], dtype=str)
            return texts.astype(numpy.float64)
        return self._bulk_array(lambda n: numpy.empty(n, dtype=numpy.float64),
                                lib.rulebook_population_scores_double,
                                self._scorecard(scorecard))

    def scores(self, scorecard: Optional[str] = None) -> List[Optional[Decimal]]:
        """Every record's score as a Decimal (None where it has none)."""
        return [Decimal(t) if t else None for t in self.score_texts(scorecard)]

    def to_frame(self, index: Any = None, *, scores: str = "decimal") -> Any:
        """The results as a pandas DataFrame, one row per record (indexed by
        index, default 0..n-1): a categorical column per rule id holding the
        verdict, and per scorecard `<id>.class` (categorical) and
        `<id>.score` (Decimal; scores="float" for float64, "text" for
        str). Needs pandas."""
        import pandas
        from . import _frame
        _frame.check_scores(scores)
        if index is None:
            index = pandas.RangeIndex(len(self))
        return _frame.result_frame(self, index, [], scores)

    @property
    def record_ids(self) -> List[Optional[str]]:
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            n = lib.rulebook_population_size(h.ptr)
            return [text(lib.rulebook_population_record_id(h.ptr, i)) for i in range(n)]

    @property
    def counts(self) -> Dict[str, int]:
        """How many (record, rule) pairs got each verdict."""
        out = (ctypes.c_uint32 * 8)()
        self._call(lib.rulebook_population_counts, out)
        return {VERDICTS[v]: out[v] for v in range(1, 8)}

    def _index(self, record: int) -> int:
        n = len(self)
        if not -n <= record < n:
            raise IndexError(f"record {record} out of range (the population has {n})")
        return record % n if n else record

    def verdict(self, record: int, rule: str) -> str:
        return VERDICTS[self._call(lib.rulebook_population_verdict, self._index(record),
                                   self._rb._rule_index(rule))]

    def verdicts(self, record: int) -> Dict[str, str]:
        i = self._index(record)
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            return {r.id: VERDICTS[lib.rulebook_population_verdict(h.ptr, i, r.index)]
                    for r in self._rb.rules}

    @property
    def aggregates(self) -> Dict[str, AggregateResult]:
        """Aggregate id -> verdict and figures over the records added so far."""
        out = {}
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            for a in self._rb.aggregates:
                i = a.index
                vals = [text(lib.rulebook_population_aggregate_value(h.ptr, i, f))
                        for f in range(len(_AGGREGATE_FIELDS))]
                recs = tuple(lib.rulebook_population_aggregate_record(h.ptr, i, j) for j in
                             range(lib.rulebook_population_aggregate_record_count(h.ptr, i)))
                out[a.id] = AggregateResult(
                    a.id, a.cite, VERDICTS[lib.rulebook_population_aggregate_verdict(h.ptr, i)],
                    dec(vals[0]), dec(vals[1]), dec(vals[2]),
                    int(vals[3]) if vals[3] is not None else None, dec(vals[4]), vals[5], recs)
        return out

    def _scorecard(self, scorecard: Optional[str]) -> int:
        return self._rb._scorecard_index(scorecard)

    def veto(self, record: int, scorecard: Optional[str] = None) -> Optional[str]:
        """The veto (一票否决) that forced the record's class, or None."""
        _details.need("rulebook_population_veto")
        return text(self._call(lib.rulebook_population_veto, self._index(record),
                               self._scorecard(scorecard)))

    def consequences(self, record: int, scorecard: Optional[str] = None
                     ) -> Tuple[Consequence, ...]:
        """The consequences of the record's class in the population (a class
        by rank included): (id, value, unit) each."""
        got = self._call(_details.population_consequences, self._index(record),
                         self._scorecard(scorecard))
        return tuple(Consequence(n, v, u) for n, v, u in got)

    def aggregate_undecided(self, aggregate: str) -> Tuple[Tuple[int, ...], Tuple[str, ...]]:
        """For an aggregate left unknown: the records that lacked a value
        (indices) and the inputs and parameters they lacked."""
        for a in self._rb.aggregates:
            if a.id == aggregate:
                return self._call(_details.aggregate_undecided, a.index)
        raise NotFoundError(f"no aggregate '{aggregate}' in rulebook '{self._rb.id}'",
                            status=Status.NOT_FOUND)

    def class_of(self, record: int, scorecard: Optional[str] = None) -> Optional[str]:
        """The class of a record; ranked classes are decided within the
        population. None when it cannot be decided for missing data."""
        return text(self._call(lib.rulebook_population_class, self._index(record),
                               self._scorecard(scorecard)))

    def classes(self, scorecard: Optional[str] = None) -> List[Optional[str]]:
        k = self._scorecard(scorecard)
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            n = lib.rulebook_population_size(h.ptr)
            return [text(lib.rulebook_population_class(h.ptr, i, k)) for i in range(n)]

    def score(self, record: int, scorecard: Optional[str] = None) -> Optional[Decimal]:
        return dec(text(self._call(lib.rulebook_population_score, self._index(record),
                                   self._scorecard(scorecard))))

    @property
    def class_counts(self) -> Dict[str, Dict[str, int]]:
        """Scorecard id -> class id -> number of records."""
        return self.to_dict()["classes"]

    def to_json(self, verdicts_only: bool = False) -> str:
        """Verdict counts, aggregates (with the records counted) and the
        number of records in each class, as JSON text."""
        p = ctypes.c_void_p()
        n = ctypes.c_size_t()
        h = self._h
        with h.lock:
            if h.ptr is None:
                raise ClosedError("the population is closed")
            st = lib.rulebook_population_json(h.ptr, _OUT_VERDICTS if verdicts_only else 0,
                                              ctypes.byref(p), ctypes.byref(n))
            if st:
                raise_status(st)
            return _take_json(p.value, n.value)

    def to_dict(self, verdicts_only: bool = False) -> Dict[str, Any]:
        """Counts, aggregates (decimal figures as Decimal) and class counts."""
        d = json.loads(self.to_json(verdicts_only))
        for a in d.get("aggregates") or ():
            for k in ("value", "numerator", "denominator", "threshold"):
                a[k] = dec(a.get(k))
            if a.get("counted") is not None:
                a["counted"] = int(a["counted"])
        return d

    def __repr__(self) -> str:
        if self.closed:
            return "<Population closed>"
        return f"<Population {self._rb.id} {self.as_of} records={len(self)}>"


def _need(name: str) -> None:
    if getattr(lib, name, None) is None:
        raise NotImplementedError(f"the loaded librulebook ({_lib.path}) lacks {name}; "
                                  "a newer library is needed")


def _check(st: int) -> int:
    if st:
        raise_status(st)
    return st


def _load_population(rb: "Rulebook", data: bytes) -> Population:
    return rb.load_population(data)


# Rulebooks unpickled in this process, by how they were loaded and their
# hash: the tasks of a Dask worker share one compiled rulebook.
_reloaded: Dict[Any, "Rulebook"] = {}
_reloaded_lock = threading.Lock()


def _reload_rulebook(source: Tuple[Any, ...], hash_: str) -> "Rulebook":
    key = (source, hash_)
    with _reloaded_lock:
        rb = _reloaded.get(key)
        if rb is not None and not rb.closed:
            return rb
    kind, what, name, search_path, limits = source
    if kind == "file":
        rb = Rulebook.load(what, search_path=search_path, limits=dict(limits) or None)
    else:
        rb = Rulebook.from_string(what, name, search_path=search_path,
                                  limits=dict(limits) or None)
    if rb.hash != hash_:
        rb.close()
        raise InvalidArgumentError(
            f"the rulebook {what if kind == 'file' else name or '<text>'} here has hash "
            f"{rb.hash[:12]}…, not {hash_[:12]}… as where it was pickled")
    with _reloaded_lock:
        _reloaded[key] = rb
    return rb


# ---------------------------------------------------------------------------
# Rulebooks
# ---------------------------------------------------------------------------

_json_str = json.encoder.encode_basestring  # type: ignore[attr-defined]
_set_text = lib.rulebook_facts_set_text
_set_text_at = lib.rulebook_facts_set_text_at
_set_decimal = lib.rulebook_facts_set_decimal
_set_double = lib.rulebook_facts_set_double
_set_bool = lib.rulebook_facts_set_bool
_set_missing = lib.rulebook_facts_set_missing
_eval_packed = lib.rulebook_eval_packed



def _free_rulebook(pool: List[int], packed_states: List[_packed.State]) -> Any:
    def free(ptr: int) -> None:
        while pool:
            lib.rulebook_facts_free(pool.pop())
        while packed_states:
            packed_states.pop().free()
        lib.rulebook_free(ptr)
    return free


class Rulebook(Declarations):
    """A compiled rulebook: immutable, and safe to share between threads.

    Load with :meth:`load` or :meth:`from_string`; free with :meth:`close`
    or a ``with`` block (results and populations made from it keep it alive
    until they are freed too).
    """

    def __init__(self) -> None:
        raise TypeError("use Rulebook.load(path) or Rulebook.from_string(text)")

    # -- loading ---------------------------------------------------------------

    @staticmethod
    def _options(search_path: Iterable[PathLike], limits: Optional[Mapping[str, int]]) -> int:
        opts = lib.rulebook_options_new()
        if not opts:
            raise OutOfMemoryError("out of memory")
        try:
            for d in search_path:
                st = lib.rulebook_options_add_search_path(opts, os.fsencode(d))
                if st:
                    raise_status(st)
            for name, value in (limits or {}).items():
                if name not in LIMITS:
                    raise InvalidArgumentError(
                        f"unknown limit {name!r} (known: {', '.join(LIMITS)})")
                st = lib.rulebook_options_set_limit(opts, LIMITS[name], int(value))
                if st:
                    raise_status(st)
        except BaseException:
            lib.rulebook_options_free(opts)
            raise
        return opts

    @classmethod
    def load(cls, path: PathLike, *, search_path: Iterable[PathLike] = (),
             limits: Optional[Mapping[str, int]] = None, allow_extends: bool = True,
             resolver: Optional[_loading.Resolver] = None) -> "Rulebook":
        """Load and compile the rulebook at path. search_path: directories
        where ``extends: <id>`` looks; limits: {"file_size": ..., ...};
        allow_extends=False refuses a rulebook with ``extends`` (for files
        from others: ``extends`` can name any readable file); resolver(name)
        returns the source of the parent ``extends: name`` names (str or
        bytes, None when there is none) instead of reading files -- what it
        raises comes out of the load. Raises a RulebookError subclass
        carrying every diagnostic."""
        loading = _loading.Loading(allow_extends, resolver)
        opts = (cls._options(search_path, limits)
                if (search_path or limits or loading.needed) else None)
        out = ctypes.c_void_p()
        err = thread_error()
        try:
            if loading.needed:
                loading.apply(opts)
            st = lib.rulebook_load_file(os.fsencode(path), opts, ctypes.byref(out), err)
            loading.reraise()
            if st:
                raise_status(st, err)
        finally:
            lib.rulebook_options_free(opts)
        rb = cls._wrap(out.value)
        rb._source = ("file", os.fspath(path), None, tuple(os.fspath(d) for d in search_path),
                      tuple(sorted((limits or {}).items())))
        rb._resolved = resolver is not None
        return rb

    @classmethod
    def from_string(cls, source: Union[str, bytes], name: Optional[str] = None, *,
                    search_path: Iterable[PathLike] = (),
                    limits: Optional[Mapping[str, int]] = None, allow_extends: bool = True,
                    resolver: Optional[_loading.Resolver] = None) -> "Rulebook":
        """Compile a rulebook from YAML text; name is used in diagnostics.
        The options are those of :meth:`load`."""
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        loading = _loading.Loading(allow_extends, resolver)
        opts = (cls._options(search_path, limits)
                if (search_path or limits or loading.needed) else None)
        out = ctypes.c_void_p()
        err = thread_error()
        try:
            if loading.needed:
                loading.apply(opts)
            st = lib.rulebook_load_buffer(data, len(data), name.encode() if name else None,
                                          opts, ctypes.byref(out), err)
            loading.reraise()
            if st:
                raise_status(st, err)
        finally:
            lib.rulebook_options_free(opts)
        rb = cls._wrap(out.value)
        rb._source = ("text", data, name, tuple(os.fspath(d) for d in search_path),
                      tuple(sorted((limits or {}).items())))
        rb._resolved = resolver is not None
        return rb

    def __reduce__(self) -> Any:
        """Pickled as how it was loaded (the path, or the text) and its hash:
        unpickling loads it again -- once per process -- and checks the
        hash, so a worker on another machine refuses a different file at
        the same path. A rulebook whose parents came from a resolver is
        not pickled (TypeError): the resolver does not travel with it."""
        if getattr(self, "_resolved", False):
            raise TypeError("a rulebook loaded with a resolver cannot be pickled")
        return (_reload_rulebook, (self._source, self.hash))

    @classmethod
    def _wrap(cls, ptr: int) -> "Rulebook":
        self = object.__new__(cls)
        pool: List[int] = []
        self._pool = pool
        self._source: Tuple[Any, ...] = ("text", b"", None, (), ())
        states: List[_packed.State] = []
        self._h = Handle(ptr, _free_rulebook(pool, states), "rulebook")
        self._finalizer = weakref.finalize(self, self._h.close)
        self._read_header(ptr)
        self._packer = (_packed.Packer(ptr, self._index, self._h, states)
                        if _packed.available() else None)
        self._last_as_of: Tuple[Optional[str], int] = (None, 0)  # evaluate()'s last as_of text
        return self

    def _read_header(self, p: int) -> None:
        self.id: str = text(lib.rulebook_id(p)) or ""
        self._titles = {"zh": text(lib.rulebook_title(p, b"zh")) or "",
                        "en": text(lib.rulebook_title(p, b"en")) or ""}
        self.subject: str = text(lib.rulebook_subject(p)) or ""
        self.hash: str = text(lib.rulebook_hash(p)) or ""
        self.in_force: Tuple[Optional[datetime.date], Optional[datetime.date]] = (
            int_to_date(lib.rulebook_in_force_from(p)), int_to_date(lib.rulebook_in_force_until(p)))
        self.inputs: Tuple[Input, ...] = tuple(
            Input(text(lib.rulebook_input_name(p, i)) or "", text(lib.rulebook_input_type(p, i)) or "",
                  text(lib.rulebook_input_unit(p, i)) or "", i)
            for i in range(lib.rulebook_input_count(p)))
        self.rules: Tuple[Rule, ...] = tuple(
            Rule(text(lib.rulebook_rule_id(p, i)) or "", text(lib.rulebook_rule_cite(p, i)) or "",
                 text(lib.rulebook_rule_severity(p, i)) or "",
                 tuple(text(lib.rulebook_rule_responsible(p, i, j)) or ""
                       for j in range(lib.rulebook_rule_responsible_count(p, i))), i)
            for i in range(lib.rulebook_rule_count(p)))
        self.parameters: Tuple[Parameter, ...] = tuple(
            Parameter(text(lib.rulebook_param_name(p, i)) or "", text(lib.rulebook_param_unit(p, i)) or "",
                      text(lib.rulebook_param_cite(p, i)) or "",
                      text(lib.rulebook_param_provenance(p, i)) or "", i)
            for i in range(lib.rulebook_param_count(p)))
        self.targets: Tuple[Target, ...] = tuple(
            Target(text(lib.rulebook_target_id(p, i)) or "", text(lib.rulebook_target_cite(p, i)) or "",
                   text(lib.rulebook_target_unit(p, i)) or "",
                   tuple(text(lib.rulebook_target_responsible(p, i, j)) or ""
                         for j in range(lib.rulebook_target_responsible_count(p, i))), i)
            for i in range(lib.rulebook_target_count(p)))
        self.scorecards: Tuple[Scorecard, ...] = tuple(
            Scorecard(text(lib.rulebook_scorecard_id(p, i)) or "",
                      tuple(text(lib.rulebook_scorecard_component_id(p, i, k)) or ""
                            for k in range(lib.rulebook_scorecard_component_count(p, i))),
                      tuple(text(lib.rulebook_scorecard_class_id(p, i, k)) or ""
                            for k in range(lib.rulebook_scorecard_class_count(p, i))), i)
            for i in range(lib.rulebook_scorecard_count(p)))
        self.aggregates: Tuple[Aggregate, ...] = tuple(
            Aggregate(text(lib.rulebook_aggregate_id(p, i)) or "",
                      text(lib.rulebook_aggregate_cite(p, i)) or "", i)
            for i in range(lib.rulebook_aggregate_count(p)))
        self._input_types: Dict[str, str] = {i.name: i.type for i in self.inputs}
        self._rule_idx: Dict[str, int] = {r.id: r.index for r in self.rules}
        self._rule_ids: Tuple[str, ...] = tuple(r.id for r in self.rules)
        self._verdict_dicts: Dict[bytes, Dict[str, str]] = {}
        self._scorecard_idx: Dict[str, int] = {c.id: c.index for c in self.scorecards}
        self._names: Dict[str, bytes] = {i.name: i.name.encode() for i in self.inputs}
        self._index: Dict[str, int] = {i.name: k for k, i in enumerate(self.inputs)}
        self._keys: Dict[str, str] = {}
        self._plan: Optional[_batch.Plan] = None

    # -- lifetime --------------------------------------------------------------

    def close(self) -> None:
        """Release the rulebook. Results and populations made from it stay
        usable; the C memory goes when the last of them is freed too."""
        if self._packer is not None:
            self._packer.drop_token()
        self._finalizer()

    def __enter__(self) -> "Rulebook":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._h.closed

    # -- header ----------------------------------------------------------------

    @property
    def title(self) -> str:
        """The Chinese title (the English one when there is no Chinese)."""
        return self._titles["zh"]

    def title_in(self, lang: str) -> str:
        _lang_flag(lang)
        return self._titles[lang]

    @property
    def input_names(self) -> List[str]:
        return [i.name for i in self.inputs]

    @property
    def rule_ids(self) -> List[str]:
        return [r.id for r in self.rules]

    def parameter_value(self, name: str, as_of: Optional[DateLike] = None) -> Optional[Decimal]:
        """The parameter's value in force on as_of (None when none is)."""
        for prm in self.parameters:
            if prm.name == name:
                d = as_of_int(as_of)
                p = self._h.acquire()
                try:
                    return dec(text(lib.rulebook_param_value(p, prm.index, d)))
                finally:
                    self._h.release()
        raise NotFoundError(f"no parameter '{name}' in rulebook '{self.id}'",
                            status=Status.NOT_FOUND)

    def _rule_index(self, rule: Union[str, int]) -> int:
        if isinstance(rule, int):
            if not 0 <= rule < len(self.rules):
                raise IndexError(f"rule index {rule} out of range")
            return rule
        try:
            return self._rule_idx[rule]
        except KeyError:
            raise NotFoundError(f"no rule '{rule}' in rulebook '{self.id}'",
                                status=Status.NOT_FOUND) from None

    # -- facts -----------------------------------------------------------------

    def _take_facts(self) -> int:
        """A facts object with every input missing (caller holds a use of the
        handle)."""
        try:
            return self._pool.pop()
        except IndexError:
            f = lib.rulebook_facts_new(self._h.ptr)
            if not f:
                raise OutOfMemoryError("out of memory") from None
            return f

    def _give_facts(self, f: int) -> None:
        lib.rulebook_facts_clear(f)
        self._pool.append(f)

    def _set_facts(self, f: int, facts: Facts, ignore_unknown: bool = False) -> None:
        """Set facts with the typed setters: integers and Decimals as exact
        text, floats via rulebook_facts_set_double, dates as YYYYMMDD."""
        err = ctypes.c_void_p(thread_error())
        fp = ctypes.c_void_p(f)
        names = self._names
        rid = None
        for name, v in facts.items():
            if type(name) is not str and not isinstance(name, str):
                raise self._not_an_input(name)
            if name[:1] == "_":
                if name == "_id" and v is not None:
                    rid = v
                continue
            b = names.get(name)
            if b is None:
                if ignore_unknown:
                    continue
                raise self._not_an_input(name)
            t = type(v)
            if t is str:
                try:
                    tb = v.encode()
                    # length-counted: a NUL inside the text is refused, not a cut
                    st = _set_text_at(fp, self._index[name], tb, len(tb), err)
                except UnicodeEncodeError:
                    raise fact_error(name, f"input '{name}': the text is not valid Unicode "
                                           "(a lone surrogate)") from None
            elif t is Decimal:
                st = _set_decimal(fp, b, decimal_text(v, name).encode(), err)
            elif t is float:
                st = _set_double(fp, b, v, err)
            elif t is bool:
                st = _set_bool(fp, b, 1 if v else 0, err)
            elif t is int:
                st = _set_decimal(fp, b, str(v).encode(), err)
            elif v is None:
                st = _set_missing(fp, b, err)
            elif t is list or t is tuple:
                # a list input takes a JSON array as its text; other inputs refuse it
                kind = self._input_types.get(name)
                if kind != "list":
                    raise fact_error(name, f"input '{name}' is a {kind}, not a list")
                if lib.rulebook_facts_set_list_text_at is not None:
                    st = _lists.set_list(fp, self._index[name], name, v,
                                         self._field_names(name), err)
                else:  # a library before the list setters
                    tb = fact_json(name, v).encode()
                    st = _set_text_at(fp, self._index[name], tb, len(tb), err)
            else:
                st = self._set_other(fp, name, b, self._index[name], v, err)
            if st:
                raise_status(st, err.value)
        if rid is not None:
            if lib.rulebook_facts_set_id is not None:
                b = str(rid).encode()
                st = lib.rulebook_facts_set_id(fp, b, len(b))
            else:  # a library before rulebook_facts_set_id
                js = ('{"_id":' + json.dumps(str(rid), ensure_ascii=False) + "}").encode()
                st = lib.rulebook_facts_set_json(fp, js, len(js), err)
            if st:
                raise_status(st, err.value)

    def _not_an_input(self, name: str) -> NotFoundError:
        # Named here in full: the C setters take NUL-terminated names, so
        # "tax\0evil" would reach them as "tax".
        # A key that is not a str is named by its repr().
        if not isinstance(name, str):
            name = repr(name)
        shown = name.encode("unicode_escape").decode("ascii") if "\0" in name else name
        msg = f"'{shown}' is not an input of rulebook '{self.id}'"
        return NotFoundError(msg, [Diagnostic(Status.NOT_FOUND, msg, subject=name)],
                             status=Status.NOT_FOUND)

    def _scorecard_index(self, scorecard: Optional[str]) -> int:
        k = self._scorecard_idx.get(scorecard)  # type: ignore[arg-type]
        if k is not None:
            return k
        cards = self.scorecards
        if scorecard is None:
            if len(cards) != 1:
                raise InvalidArgumentError(f"name the scorecard: the rulebook has {len(cards)}")
            return 0
        for c in cards:
            if c.id == scorecard:
                return c.index
        raise NotFoundError(f"no scorecard '{scorecard}' in rulebook '{self.id}'",
                            status=Status.NOT_FOUND)

    @staticmethod
    def _set_other(fp: Any, name: str, b: bytes, idx: int, v: Any, err: Any) -> int:
        """Subclasses of the usual types, and dates."""
        if isinstance(v, bool):
            return _set_bool(fp, b, 1 if v else 0, err)
        if isinstance(v, int):
            return _set_decimal(fp, b, str(int(v)).encode(), err)
        if isinstance(v, float):
            return _set_double(fp, b, float(v), err)
        if isinstance(v, Decimal):
            return _set_decimal(fp, b, decimal_text(v, name).encode(), err)
        if isinstance(v, str):
            tb = str(v).encode()
            return _set_text_at(fp, idx, tb, len(tb), err)
        if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
            return lib.rulebook_facts_set_date(fp, b, date_to_int(v), err)
        fact_json(name, v)  # raises FactError with the reason
        raise fact_error(name, f"input '{name}': cannot use a {type(v).__name__} as a fact "
                         "(records go inside a list)")

    def _key(self, name: str) -> str:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = json.dumps(name, ensure_ascii=False)
        return k

    def _record_json(self, record: Facts, ignore_unknown: bool = False) -> str:
        """One record as a JSON object for rulebook_eval_json."""
        parts = []
        key = self._keys.get
        inputs = self._input_types
        for name, v in record.items():
            if name[:1] == "_":
                if name == "_id" and v is not None:
                    parts.append('"_id":' + _json_str(str(v)))
                continue
            if ignore_unknown and name not in inputs:
                continue
            k = key(name) or self._key(name)
            t = type(v)
            if t is str:
                parts.append(k + ":" + _json_str(v))
            elif t is Decimal and v.is_finite():
                parts.append(k + ":" + str(v))
            elif t is int:
                parts.append(k + ":" + str(v))
            elif t is float and v - v == 0:  # finite
                parts.append(k + ":" + repr(v))
            else:
                parts.append(k + ":" + fact_json(name, v))
        return "{" + ",".join(parts) + "}"

    # -- evaluation ------------------------------------------------------------

    def evaluate(self, facts: Facts, as_of: Optional[DateLike] = None, *,
                 ignore_unknown: bool = False, exact_only: bool = False) -> Result:
        """Evaluate one record as of a date (default today).

        facts maps input names to int, float, decimal.Decimal, str (may
        carry a unit: "20000 m²"), bool, datetime.date or None (missing);
        "_id" names the record; other keys starting with "_" are ignored.
        A key that is not an input is an error (NotFoundError) unless
        ignore_unknown is true, so that one record can feed rulebooks with
        different inputs. Decimals travel as text, floats are converted by
        the library to the shortest decimal that reads back as the same
        float. exact_only decides every verdict in exact decimals, without
        the binary first run (rulebook_result_set_exact_only); verdicts are
        the same either way (Result.decided_exactly says which route did).
        """
        last = self._last_as_of
        if type(as_of) is str and as_of == last[0]:
            d = last[1]
        else:
            d = as_of_int(as_of)
            if type(as_of) is str:
                self._last_as_of = (as_of, d)
        if ignore_unknown:
            facts = self._known(facts)
        if self._packer is not None and not exact_only:
            r = self._evaluate_packed(facts, d)
            if r is not None:
                return r
        return Result._new(self, d, self._evaluate_handle(facts, d, exact_only=exact_only))

    def _evaluate_packed(self, facts: Facts, as_of: int) -> Optional[Result]:
        """evaluate() in one call into the library (rulebook_eval_packed);
        None when a value needs the typed setters (a date, a subclass of
        str or float, text beyond the buffer)."""
        pk = self._packer
        h = self._h
        # The token every packed result holds keeps the C rulebook (and the
        # thread states freed with it) alive while this call uses it, even
        # if another thread closes the rulebook meanwhile: no per-call count.
        if h._closed:
            raise ClosedError("the rulebook is closed")
        token = pk.token or pk.current_token()
        p = h.ptr
        if p is None:
            raise ClosedError("the rulebook is closed")
        st = getattr(pk.local, "s", None) or pk.state(p)
        fast = st.fast
        if fast is not None and type(facts) is dict:
            # the accelerator packs the record and makes the call
            with st.lock:
                try:
                    end = fast.run(facts, as_of)
                except KeyError as e:
                    raise self._not_an_input(e.args[0]) from None
                if end is None:
                    return None
                if end < 0:
                    raise_status(-end, st.err)
                gen = st.gen = st.gen + 1
            # as Result._packed, without the call
            r = _new_object(Result)
            r._rb = self
            r._as_of = as_of
            r._snap = st.buf[:end]
            r._pkstate = st
            r._gen = gen
            r._pktoken = token
            return r
        try:
            end = pk.pack(st, facts)
        except KeyError as e:
            raise self._not_an_input(e.args[0]) from None
        if end is None:
            return None
        base = pk.base
        with st.lock:
            rc = pk.call(p, st.facts, st.addr + base, end - base, as_of, st.res, st.addr,
                         pk.out, st.err)
            if rc:
                raise_status(rc, st.err)
            gen = st.gen = st.gen + 1
        return Result._packed(self, as_of, st.buf[:end], st, gen, token)

    def _evaluate_packed_handle(self, snap: bytearray, as_of: int) -> Handle:
        """A C result of its own for a record evaluate() packed before."""
        pk = self._packer
        h = self._h
        p = h.acquire(dependent=True)
        try:
            f = self._take_facts()
            try:
                res = lib.rulebook_result_new(p)
                if not res:
                    raise OutOfMemoryError("out of memory")
                rh = Handle(res, lib.rulebook_result_free, "result", parent=h)
                rec = (ctypes.c_char * (len(snap) - pk.base)).from_buffer(snap, pk.base)
                err = thread_error()
                rc = _eval_packed(p, f, ctypes.addressof(rec), len(snap) - pk.base, as_of, res,
                                  None, 0, err)
                del rec
                if rc:
                    rh.close()
                    raise_status(rc, err)
                return rh
            finally:
                self._give_facts(f)
        finally:
            h.release()

    def _known(self, facts: Facts) -> Dict[str, Any]:
        """The record without keys that are neither inputs nor "_" keys."""
        inputs = self._input_types
        return {k: v for k, v in facts.items() if k[:1] == "_" or k in inputs}

    def _evaluate_handle(self, facts: Facts, as_of: int, dependent: bool = False,
                         exact_only: bool = False) -> Handle:
        h = self._h
        p = h.acquire(dependent)
        try:
            f = self._take_facts()
            try:
                self._set_facts(f, facts)
                res = lib.rulebook_result_new(p)
                if not res:
                    raise OutOfMemoryError("out of memory")
                rh = Handle(res, lib.rulebook_result_free, "result", parent=h)
                if exact_only:
                    _details.need("rulebook_result_set_exact_only")
                    lib.rulebook_result_set_exact_only(res, 1)
                err = thread_error()
                st = lib.rulebook_eval(p, f, as_of, res, err)
                if st:
                    rh.close()
                    raise_status(st, err)
                return rh
            finally:
                self._give_facts(f)
        finally:
            h.release()

    def evaluate_many(self, records: Iterable[Facts], as_of: Optional[DateLike] = None,
                      lang: str = "zh", details: bool = False, *,
                      ignore_unknown: bool = False) -> List[Result]:
        """Evaluate many records in one call into the library
        (rulebook_eval_json on a JSON array).

        Each result answers verdicts, counts, exceptions and missing inputs
        from the returned JSON. Anything else (messages, values, gaps,
        targets, scorecards, explanations) makes it evaluate its own record
        again, once. details=True asks the library for the full results
        (messages and titles in lang) up front instead: about ten times
        more JSON to produce and parse, worth it when most results will be
        read in full.
        """
        d = as_of_int(as_of)
        flags = _lang_flag(lang) | (0 if details else _OUT_VERDICTS)
        records = [self._known(r) for r in records] if ignore_unknown else list(records)
        if not records:
            return []
        body = "[\n" + ",\n".join(self._record_json(r) for r in records) + "\n]"
        raw = self._eval_json(body, d, flags, len(records))
        # Parsing builds many small containers at once, none of them in a
        # cycle: the cyclic collector would run over them again and again,
        # which makes big batches slower per record (measured 2.5x at 21000).
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            data = json.loads(raw)
            return [Result._new(self, d, None, item, lang, dict(rec), full=details)
                    for item, rec in zip(data, records)]
        finally:
            if paused:
                gc.enable()

    def _eval_json(self, body: str, as_of: int, flags: int, count: int) -> str:
        try:
            buf = body.encode("utf-8")
        except UnicodeEncodeError:
            raise fact_error("", "a text is not valid Unicode (a lone surrogate)") from None
        out = ctypes.c_void_p()
        n = ctypes.c_size_t()
        err = thread_error()
        p = self._h.acquire()
        try:
            st = lib.rulebook_eval_json(p, buf, len(buf), as_of, flags, ctypes.byref(out),
                                        ctypes.byref(n), err)
            if st:
                diags = diagnostics_of(err)
                # Record i is on line i + 2 of the text built by evaluate_many.
                rec = diags[0].line - 2 if diags and 2 <= diags[0].line < count + 2 else None
                raise_status(st, err, record=rec)
            try:
                return _take_json(out.value, n.value)
            finally:
                lib.rulebook_mem_free(out)
        finally:
            self._h.release()

    def evaluate_json(self, facts_json: Union[str, bytes], as_of: Optional[DateLike] = None,
                      lang: str = "zh", pretty: bool = False,
                      verdicts_only: bool = False) -> str:
        """JSON in, JSON out: a facts object (or array of them) as JSON text;
        returns the result (or array of results) as JSON text."""
        flags = _lang_flag(lang) | (_OUT_PRETTY if pretty else 0) | \
            (_OUT_VERDICTS if verdicts_only else 0)
        body = facts_json if isinstance(facts_json, str) else facts_json.decode("utf-8")
        return self._eval_json(body, as_of_int(as_of), flags, 0)

    def _add_batch(self, pop: int, records: Iterable[Facts], first: int,
                   ignore_unknown: bool, skip_bad: bool,
                   path: Optional[str] = None) -> List[RulebookError]:
        """Add records with one call into the library per batch (see
        _batch.py); returns the refused records when skip_bad, raises the
        first one's error otherwise."""
        plan = self._plan
        if plan is None:
            plan = self._plan = _batch.Plan(self.id, self.inputs)
        return _batch.add_records(self, plan, pop, records, first, ignore_unknown, skip_bad,
                                  path)

    def _add_records(self, pop: int, f: int, records: Iterable[Facts], first: int = 0,
                     ignore_unknown: bool = False) -> None:
        """Add records to a population one call per fact and per record: the
        typed setters (as evaluate() uses them) and one
        rulebook_population_add. Used only with a library that lacks
        rulebook_population_add_table."""
        err = thread_error()
        add = lib.rulebook_population_add
        clear = lib.rulebook_facts_clear
        set_facts = self._set_facts
        fp = ctypes.c_void_p(f)
        pp = ctypes.c_void_p(pop)
        for i, rec in enumerate(records, first):
            clear(fp)
            try:
                set_facts(f, rec, ignore_unknown)
            except RulebookError as e:
                e.record = i
                raise
            st = add(pp, fp, err)
            if st:
                raise_status(st, err, record=i)

    def population(self, records: Iterable[Facts], as_of: Optional[DateLike] = None, *,
                   ignore_unknown: bool = False, skip_bad: bool = False,
                   threads: Optional[int] = None) -> Population:
        """Evaluate records together: aggregates, ranked classes, verdict
        counts. Returns a Population (free with close() or ``with``).

        The records cross into the library in one call
        (rulebook_population_add_table; all-numeric records without "_id"
        as columns through rulebook_population_add_columns), not one per
        record. Values are as for evaluate(), and a float NaN is a missing
        value. A record with a bad value raises the error of the first such
        record (``record`` is its index, ``subject`` the input); with
        skip_bad=True such records are left out instead and listed in the
        population's ``refused`` and ``bad_rows``, and the population's
        record k is then not necessarily records[k]. ignore_unknown: as for
        evaluate(). threads: how many threads the library may evaluate a
        batch on (slices of at least 2048 records, merged in order: the
        same results for any number); default one per CPU."""
        _check_threads(threads)
        d = as_of_int(as_of)
        h = self._h
        p = h.acquire()
        try:
            pop = lib.rulebook_population_new(p, d)
            if not pop:
                raise OutOfMemoryError("out of memory")
            _set_threads(pop, threads)
            result = Population._new(self, d, Handle(pop, lib.rulebook_population_free,
                                                     "population", parent=h))
            if lib.rulebook_population_add_table is not None:
                try:
                    result._refused = tuple(self._add_batch(pop, records, 0, ignore_unknown,
                                                            skip_bad))
                except BaseException:
                    result.close()
                    raise
                return result
            f = self._take_facts()
            try:
                self._add_records(pop, f, records, 0, ignore_unknown)
            except BaseException:
                result.close()
                raise
            finally:
                self._give_facts(f)
            return result
        finally:
            h.release()

    # -- data frames and Arrow batches ------------------------------------------

    def load_population(self, data: bytes) -> Population:
        """A population from :meth:`Population.to_bytes` (made with this
        rulebook -- the same hash -- and library version)."""
        _need("rulebook_population_load")
        out = ctypes.c_void_p()
        err = thread_error()
        p = self._h.acquire()
        try:
            st = lib.rulebook_population_load(p, data, len(data), ctypes.byref(out), err)
            if st:
                raise_status(st, err)
            return Population._adopt(self, lib.rulebook_population_as_of(out.value), out.value)
        finally:
            self._h.release()

    def population_from_arrow(self, data: Any, as_of: Optional[DateLike] = None, *,
                              ignore_unknown: bool = False, skip_bad: bool = False
                              ) -> Population:
        """Evaluate the record batches of any object with
        ``__arrow_c_stream__`` or ``__arrow_c_array__`` (the Arrow PyCapsule
        interface: pyarrow tables and batches, polars, DuckDB results, ...)
        into a Population, one library call per batch; columns bind to
        inputs by name, "_id" names the records (see
        rulebook_population_add_arrow for the types read). A row with a bad
        value raises FactError naming the row and column; with skip_bad it
        is left out and listed in the population's ``bad_rows``."""
        _need("rulebook_population_add_arrow")
        from . import _arrow, _frame
        d = as_of_int(as_of)
        h = self._h
        p = h.acquire()
        try:
            ptr = lib.rulebook_population_new(p, d)
            if not ptr:
                raise OutOfMemoryError("out of memory")
            pop = Population._adopt(self, d, ptr)
        finally:
            h.release()
        rows = 0
        bad: List[int] = []
        try:
            for schema, array in _arrow.capsule_batches(data):
                n = array.contents.length
                bad += [rows + r for r in _frame.add_arrow(pop._h.ptr, schema, array, n,
                                                           ignore_unknown, skip_bad, None, rows)]
                rows += n
        except BaseException:
            pop.close()
            raise
        pop._arrow_rows = rows
        pop._arrow_bad = tuple(bad)
        return pop

    def evaluate_frame(self, frame: Any, as_of: Optional[DateLike] = None, *,
                       ignore_unknown: bool = False, skip_bad: bool = False,
                       scores: str = "decimal", threads: Optional[int] = None) -> Any:
        """Evaluate every row of a pandas DataFrame and return a DataFrame
        indexed like it: one categorical column per rule id holding the
        verdict, and per scorecard `<id>.class` (categorical; classes by
        rank decided over the whole frame) and `<id>.score` (exact Decimal;
        scores="float" gives float64, "text" str).

        Columns are named after inputs; "_id" (or, when the index is not
        the default 0..n-1, the index) names the records; other columns
        raise NotFoundError unless ignore_unknown. float64 columns go to the
        library as doubles (NaN missing), integer, boolean, datetime and
        categorical columns as the frame holds them, without per-cell
        Python work; object columns (str, Decimal, int, date) as exact
        text. The rows are evaluated in slices on up to ``threads`` threads
        (default: the CPUs) and the slices' populations merged, so
        aggregates and ranks are those of the whole frame. A row with a
        value its input refuses raises FactError naming the row's label and
        the column; with skip_bad its result columns are left empty.

        Any object with ``__arrow_c_stream__`` / ``__arrow_c_array__`` is
        accepted in place of a DataFrame (the result is then indexed
        0..n-1). Needs pandas and numpy; the rest of the package does not."""
        import pandas
        from . import _frame
        _frame.check_scores(scores)
        d = as_of_int(as_of)
        if not isinstance(frame, pandas.DataFrame):
            if hasattr(frame, "__arrow_c_stream__") or hasattr(frame, "__arrow_c_array__"):
                pop = self.population_from_arrow(frame, d, ignore_unknown=ignore_unknown,
                                                 skip_bad=skip_bad)
                with pop:
                    return _frame.result_frame(pop, pandas.RangeIndex(pop._arrow_rows),
                                               list(pop._arrow_bad), scores)
            raise InvalidArgumentError(
                f"evaluate_frame takes a pandas DataFrame or an Arrow object, not "
                f"{type(frame).__name__}")
        _need("rulebook_population_add_arrow")
        ids = None
        if "_id" not in frame.columns and not (isinstance(frame.index, pandas.RangeIndex) and
                                               frame.index.start == 0 and
                                               frame.index.step == 1):
            ids = [str(x) for x in frame.index]
        pop, bad = _frame.evaluate_batches(self, frame, d, ids, ignore_unknown, skip_bad,
                                           threads)
        with pop:
            return _frame.result_frame(pop, frame.index, bad, scores)

    # -- checking the rulebook -------------------------------------------------

    def run_tests(self) -> TestReport:
        """Run the rulebook's own ``tests:``; failures are in the report."""
        out = ctypes.c_void_p()
        err = thread_error()
        p = self._h.acquire()
        try:
            st = lib.rulebook_run_tests(p, ctypes.byref(out), err)
            rep = out.value
            if st and st != Status.TEST or not rep:
                lib.rulebook_test_report_free(rep)
                raise_status(st or Status.NOMEM, err)
            try:
                fails = tuple(
                    TestFailure(text(lib.rulebook_test_report_case(rep, i)) or "",
                                text(lib.rulebook_test_report_check(rep, i)) or "",
                                text(lib.rulebook_test_report_expected(rep, i)) or "",
                                text(lib.rulebook_test_report_actual(rep, i)) or "",
                                lib.rulebook_test_report_line(rep, i),
                                lib.rulebook_test_report_column(rep, i)
                                if lib.rulebook_test_report_column else 0)
                    for i in range(lib.rulebook_test_report_failed(rep)))
                return TestReport(lib.rulebook_test_report_passed(rep),
                                  lib.rulebook_test_report_failed(rep), fails)
            finally:
                lib.rulebook_test_report_free(rep)
        finally:
            self._h.release()

    @property
    def file_hash(self) -> str:
        """SHA-256 of this rulebook's own source (``hash`` covers its parents too)."""
        _details.need("rulebook_file_hash")
        p = self._h.acquire()
        try:
            return text(lib.rulebook_file_hash(p)) or ""
        finally:
            self._h.release()

    @property
    def parents(self) -> Tuple[Tuple[str, str], ...]:
        """(id, file hash) of each rulebook this one extends, the direct parent first."""
        p = self._h.acquire()
        try:
            return _details.parents(p)
        finally:
            self._h.release()

    def test_cases(self) -> Tuple[TestCase, ...]:
        """The rulebook's own ``tests:`` as data: each case's facts as
        written, as-of date, expectations and positions."""
        p = self._h.acquire()
        try:
            return _details.test_cases(p)
        finally:
            self._h.release()

    def rule_location(self, rule: Union[str, int]) -> SourceLocation:
        """Where the rule is written: file, line and column of its id."""
        i = self._rule_index(rule)
        p = self._h.acquire()
        try:
            return _details.rule_location(p, i)
        finally:
            self._h.release()

    def comparison_count(self, rule: Union[str, int]) -> int:
        """How many comparisons the rule's requirement has (see
        Result.comparisons)."""
        _details.need("rulebook_rule_comparison_count")
        i = self._rule_index(rule)
        p = self._h.acquire()
        try:
            return lib.rulebook_rule_comparison_count(p, i)
        finally:
            self._h.release()

    def lint(self, as_of: Optional[DateLike] = None) -> List[Diagnostic]:
        """Likely mistakes that still compile. as_of None skips the date checks."""
        d = 0 if as_of is None else as_of_int(as_of)
        err = thread_error()
        p = self._h.acquire()
        try:
            st = lib.rulebook_lint(p, d, err)
            if st:
                raise_status(st, err)
            return diagnostics_of(err)
        finally:
            self._h.release()

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return f"<Rulebook {self.id} ({self.subject}) rules={len(self.rules)}{state}>"
