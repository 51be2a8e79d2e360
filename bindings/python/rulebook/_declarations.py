"""What a rulebook declares besides ids: the documents it cites, titles and
labels in both languages, other names of input columns and of the id
column, list inputs' element types and fields, and every item's position,
uses and canonical definition. Plain data read through the C accessors;
:class:`Declarations` is a base class of :class:`rulebook.Rulebook`."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Tuple, Union

from ._details import SourceLocation, need
from ._errors import InvalidArgumentError, NotFoundError, Status
from ._lib import lib, text
from ._values import int_to_date

__all__ = ["Document", "Field", "Item", "ITEM_KINDS", "Declarations"]

#: rulebook_item_kind, in the order of its values
ITEM_KINDS = ("rule", "target", "scorecard", "aggregate", "indicator")


@dataclass(frozen=True)
class Document:
    """A document the rulebook cites: its ``source:`` (id ``""``) or one of
    its ``sources:`` (then its parents'). Fields not given are None."""

    index: int                        #: what Rule/Item ``document`` refers to
    id: str
    issuer: Optional[str]
    title: Optional[str]
    number: Optional[str]             #: the document number (文号)
    issued: Optional[datetime.date]


@dataclass(frozen=True)
class Field:
    """A field of the elements of a list input of records."""

    name: str
    type: str          #: number, integer, boolean, text, enum or date
    unit: str          #: as written; "" when none


@dataclass(frozen=True)
class Item:
    """A rule, target, scorecard, aggregate or indicator as a tool that
    explains or compares rulebooks sees it."""

    kind: str                          #: one of ITEM_KINDS
    id: str
    index: int                         #: the kind's own index (Rule.index, ...)
    location: SourceLocation           #: file, line and column of its id
    uses: Tuple[str, ...]              #: inputs, parameters and indicators used, first use first
    definition: str                    #: canonical text: equal exactly when defined alike
    document: Optional[int]            #: index into Rulebook.documents; None for none


def _lang(lang: str) -> bytes:
    if lang not in ("zh", "en"):
        raise InvalidArgumentError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang.encode()


def _kind(kind: str) -> int:
    try:
        return ITEM_KINDS.index(kind)
    except ValueError:
        raise InvalidArgumentError(
            f"kind must be one of {', '.join(ITEM_KINDS)}, not {kind!r}") from None


def _document(p: int, d: int) -> Document:
    return Document(d, text(lib.rulebook_document_id(p, d)) or "",
                    text(lib.rulebook_document_issuer(p, d)),
                    text(lib.rulebook_document_title(p, d)),
                    text(lib.rulebook_document_number(p, d)),
                    int_to_date(lib.rulebook_document_issued(p, d)))


def _strings(count: int, get: Callable[[int], Optional[bytes]]) -> Tuple[str, ...]:
    return tuple(text(get(j)) or "" for j in range(count))


class Declarations:
    """Accessors of :class:`rulebook.Rulebook` for what the rulebook
    declares. Items are named by id (or by index, an ``int``); an unknown
    id is a :class:`NotFoundError`, an index out of range an IndexError."""

    # Provided by Rulebook.
    id: str
    _h: Any
    inputs: Sequence[Any]
    rules: Sequence[Any]
    targets: Sequence[Any]
    scorecards: Sequence[Any]
    aggregates: Sequence[Any]

    def _read(self, fn: Callable[..., Any], *args: Any) -> Any:
        p = self._h.acquire()
        try:
            return fn(p, *args)
        finally:
            self._h.release()

    def _find(self, items: Sequence[Any], key: Union[str, int], what: str,
              attr: str = "id") -> int:
        if isinstance(key, int):
            if not 0 <= key < len(items):
                raise IndexError(f"{what} index {key} out of range")
            return key
        for it in items:
            if getattr(it, attr) == key:
                return int(it.index)
        raise NotFoundError(f"no {what} '{key}' in rulebook '{self.id}'", status=Status.NOT_FOUND)

    # -- documents -------------------------------------------------------------

    @property
    def documents(self) -> Tuple[Document, ...]:
        """The documents the rulebook cites: its ``source`` (id ``""``) and
        ``sources``, then those of its parents."""
        need("rulebook_document_count")
        return self._read(lambda p: tuple(_document(p, d)
                                          for d in range(lib.rulebook_document_count(p))))

    def rule_document(self, rule: Union[str, int]) -> Optional[Document]:
        """The document rule cites (its ``cite: {document: ...}``, else the
        rulebook's ``source``); None when the rulebook lists none."""
        need("rulebook_rule_document")
        i = self._find(self.rules, rule, "rule")

        def get(p: int) -> Optional[Document]:
            d = lib.rulebook_rule_document(p, i)
            return None if d < 0 else _document(p, d)
        return self._read(get)

    # -- titles, labels and other names ----------------------------------------

    def rule_title(self, rule: Union[str, int], lang: str = "zh") -> Optional[str]:
        """The rule's title in lang ("zh" or "en"; a missing translation
        falls back to the other); None when it has none."""
        need("rulebook_rule_title")
        i, lg = self._find(self.rules, rule, "rule"), _lang(lang)
        return text(self._read(lib.rulebook_rule_title, i, lg))

    def target_title(self, target: Union[str, int], lang: str = "zh") -> Optional[str]:
        """The target's title in lang, as :meth:`rule_title`."""
        need("rulebook_target_title")
        i, lg = self._find(self.targets, target, "target"), _lang(lang)
        return text(self._read(lib.rulebook_target_title, i, lg))

    def scorecard_title(self, scorecard: Union[str, int], lang: str = "zh") -> Optional[str]:
        """The scorecard's title in lang, as :meth:`rule_title`."""
        need("rulebook_scorecard_title")
        i, lg = self._find(self.scorecards, scorecard, "scorecard"), _lang(lang)
        return text(self._read(lib.rulebook_scorecard_title, i, lg))

    def scorecard_cite(self, scorecard: Union[str, int]) -> str:
        """The clause the scorecard cites, e.g. "四（四）"."""
        need("rulebook_scorecard_cite")
        i = self._find(self.scorecards, scorecard, "scorecard")
        return text(self._read(lib.rulebook_scorecard_cite, i)) or ""

    def aggregate_title(self, aggregate: Union[str, int], lang: str = "zh") -> Optional[str]:
        """The aggregate's title in lang, as :meth:`rule_title`."""
        need("rulebook_aggregate_title")
        i, lg = self._find(self.aggregates, aggregate, "aggregate"), _lang(lang)
        return text(self._read(lib.rulebook_aggregate_title, i, lg))

    def aggregate_unit(self, aggregate: Union[str, int]) -> str:
        """The unit of the aggregate's value as written; "" for a share or a count."""
        need("rulebook_aggregate_unit")
        i = self._find(self.aggregates, aggregate, "aggregate")
        return text(self._read(lib.rulebook_aggregate_unit, i)) or ""

    def aggregate_responsible(self, aggregate: Union[str, int]) -> Tuple[str, ...]:
        """The aggregate's responsible units (责任单位), in the order written."""
        need("rulebook_aggregate_responsible")
        i = self._find(self.aggregates, aggregate, "aggregate")
        return self._read(lambda p: _strings(
            lib.rulebook_aggregate_responsible_count(p, i),
            lambda j: lib.rulebook_aggregate_responsible(p, i, j)))

    def input_label(self, name: Union[str, int], lang: str = "zh") -> Optional[str]:
        """The input's label in lang (falling back to the other language);
        None when it has none."""
        need("rulebook_input_label")
        i, lg = self._find(self.inputs, name, "input", "name"), _lang(lang)
        return text(self._read(lib.rulebook_input_label, i, lg))

    def input_aliases(self, name: Union[str, int]) -> Tuple[str, ...]:
        """Other names of the input's column in data files (``aliases:``),
        in the order written."""
        need("rulebook_input_alias")
        i = self._find(self.inputs, name, "input", "name")
        return self._read(lambda p: _strings(lib.rulebook_input_alias_count(p, i),
                                             lambda j: lib.rulebook_input_alias(p, i, j)))

    @property
    def id_columns(self) -> Tuple[str, ...]:
        """The names the column of record ids may have in data files
        (``id_column:``, a parent's when the rulebook has none), in order."""
        need("rulebook_id_column")
        return self._read(lambda p: _strings(lib.rulebook_id_column_count(p),
                                             lambda j: lib.rulebook_id_column(p, j)))

    # -- list inputs -----------------------------------------------------------

    def input_element_type(self, name: Union[str, int]) -> Optional[str]:
        """A list input's element type ("number", ..., or "record" when its
        elements have fields); None for an input that is not a list."""
        need("rulebook_input_element_type")
        i = self._find(self.inputs, name, "input", "name")
        return text(self._read(lib.rulebook_input_element_type, i))

    def input_fields(self, name: Union[str, int]) -> Tuple[Field, ...]:
        """The fields of a list input of records, in declaration order;
        () for any other input."""
        need("rulebook_input_field_count")
        i = self._find(self.inputs, name, "input", "name")
        return self._read(lambda p: tuple(
            Field(text(lib.rulebook_input_field_name(p, i, j)) or "",
                  text(lib.rulebook_input_field_type(p, i, j)) or "",
                  text(lib.rulebook_input_field_unit(p, i, j)) or "")
            for j in range(lib.rulebook_input_field_count(p, i))))

    def _field_names(self, name: str) -> Tuple[str, ...]:
        """The field names of a list input of records, () for other lists
        (kept: a rulebook does not change)."""
        cache = self.__dict__.setdefault("_fields_by_input", {})
        names = cache.get(name)
        if names is None:
            names = cache[name] = tuple(f.name for f in self.input_fields(name))
        return names

    # -- items -----------------------------------------------------------------

    def items(self, kind: str) -> Tuple[Item, ...]:
        """Every item of a kind ("rule", "target", "scorecard",
        "aggregate" or "indicator"; indicators in evaluation order)."""
        need("rulebook_item_count")
        k = _kind(kind)
        return self._read(lambda p: tuple(self._item(p, kind, k, i)
                                          for i in range(lib.rulebook_item_count(p, k))))

    def item(self, kind: str, item: Union[str, int]) -> Item:
        """One item of a kind, by id or index."""
        need("rulebook_item_count")
        k = _kind(kind)

        def get(p: int) -> Item:
            n = lib.rulebook_item_count(p, k)
            if isinstance(item, int):
                if not 0 <= item < n:
                    raise IndexError(f"{kind} index {item} out of range")
                return self._item(p, kind, k, item)
            for i in range(n):
                if text(lib.rulebook_item_id(p, k, i)) == item:
                    return self._item(p, kind, k, i)
            raise NotFoundError(f"no {kind} '{item}' in rulebook '{self.id}'",
                                status=Status.NOT_FOUND)
        return self._read(get)

    @staticmethod
    def _item(p: int, kind: str, k: int, i: int) -> Item:
        doc = lib.rulebook_item_document(p, k, i)
        return Item(kind, text(lib.rulebook_item_id(p, k, i)) or "", i,
                    SourceLocation(text(lib.rulebook_item_file(p, k, i)),
                                   lib.rulebook_item_line(p, k, i),
                                   lib.rulebook_item_column(p, k, i)),
                    _strings(lib.rulebook_item_uses_count(p, k, i),
                             lambda j: lib.rulebook_item_uses(p, k, i, j)),
                    text(lib.rulebook_item_definition(p, k, i)) or "",
                    None if doc < 0 else doc)
