"""Python bindings of librulebook: evaluate enterprises, projects and
districts against YAML policy rulebooks.

>>> from rulebook import Rulebook
>>> with Rulebook.load("rules/linan/enterprise.yaml") as rb:      # doctest: +SKIP
...     result = rb.evaluate({"tax": 1158.1, "land_area": "31.3"}, as_of="2023-06-30")
...     print(result.verdicts)

The library is found through $RULEBOOK_LIBRARY, then a build tree
(build*/lib/librulebook.so above this package), then the system.
Decimal values cross the C boundary as text, never as binary floats.
"""
from ._lib import ABI_VERSION, LibraryNotFoundError
from ._lib import lib as _clib
from ._lib import path as library_path
from ._errors import (ClosedError, CycleError, Diagnostic, ExpressionError, FactError,
                      InvalidArgumentError, LimitError, NamingError, NotFoundError,
                      OutOfMemoryError, ParseError, NumberRangeError, RulebookError, RulebookIOError,
                      RulebookTestError, RulebookTypeError, SchemaError, Status, UnitError)
from ._core import (LIMITS, VERDICTS, Aggregate, AggregateResult, Component, Consequence, Gap,
                    Input, Obligation, Parameter, Population, Result, Rule, RuleResult,
                    RulePart, RuleValue, Rulebook, Scorecard, ScorecardResult, Target, TargetResult,
                    TestFailure, TestReport, TestCase, TestFact, TestExpectation,
                    SourceLocation, Comparison, UsedValue)
from ._declarations import ITEM_KINDS, Document, Field, Item
from ._exports import Decimal128Scores
from ._decimal import decimal_calc, decimal_compare, decimal_format, decimal_parse

__version__ = "0.1.0"

#: The version of the loaded C library, e.g. "0.1.0".
library_version: str = _clib.rulebook_version().decode()

__all__ = [
    "Rulebook", "Result", "RuleResult", "Population", "AggregateResult", "TargetResult",
    "ScorecardResult", "Component", "Consequence", "Gap", "Obligation", "RulePart", "RuleValue",
    "TestReport", "TestFailure", "Input", "Rule", "Parameter", "Target", "Scorecard",
    "Aggregate", "Diagnostic", "Status", "VERDICTS", "LIMITS",
    "RulebookError", "OutOfMemoryError", "RulebookIOError", "ParseError", "SchemaError",
    "ExpressionError", "NamingError", "RulebookTypeError", "UnitError", "CycleError",
    "FactError", "NumberRangeError", "LimitError", "InvalidArgumentError", "NotFoundError",
    "RulebookTestError", "ClosedError", "LibraryNotFoundError",
    "library_path", "library_version", "ABI_VERSION",
    "TestCase", "TestFact", "TestExpectation", "SourceLocation", "Comparison", "UsedValue",
    "decimal_parse", "decimal_compare", "decimal_calc", "decimal_format",
    "Document", "Field", "Item", "ITEM_KINDS", "Decimal128Scores",
]
