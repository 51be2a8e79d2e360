"""Locating librulebook and declaring its C functions for ctypes.

Only this module knows C signatures. Every handle is a ``c_void_p``; every
string the library returns is copied into Python (``c_char_p`` results) at
once, so no Python object ever depends on memory that C may reuse.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from ctypes import (POINTER, c_char_p, c_double, c_int, c_int32, c_int64, c_size_t,
                    c_uint32, c_uint64, c_void_p)
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

#: The ABI this binding was written against (RULEBOOK_VERSION_NUMBER of the
#: header): the library's major version must match and its number be at
#: least this.
ABI_VERSION = 1000

ENV_VAR = "RULEBOOK_LIBRARY"
_SONAME = "librulebook.so.0"

_vp = c_void_p
_sz = c_size_t
_s = c_char_p
_st = c_int  # rulebook_status and the other enums are C ints
_i32 = c_int32
_u32 = c_uint32

# name: (restype, argtypes)
_PROTOTYPES = {
    "rulebook_version": (_s, []),
    "rulebook_version_number": (_u32, []),
    "rulebook_status_str": (_s, [_st]),
    # errors
    "rulebook_error_new": (_vp, []),
    "rulebook_error_free": (None, [_vp]),
    "rulebook_error_clear": (None, [_vp]),
    "rulebook_error_status": (_st, [_vp]),
    "rulebook_error_count": (_sz, [_vp]),
    "rulebook_error_message": (_s, [_vp, _sz]),
    "rulebook_error_file": (_s, [_vp, _sz]),
    "rulebook_error_line": (_u32, [_vp, _sz]),
    "rulebook_error_column": (_u32, [_vp, _sz]),
    "rulebook_error_subject": (_s, [_vp, _sz]),
    "rulebook_error_status_at": (_st, [_vp, _sz]),
    # memory, dates
    "rulebook_mem_free": (None, [_vp]),
    "rulebook_date_parse": (_st, [_s, _sz, POINTER(_i32)]),
    # options
    "rulebook_options_new": (_vp, []),
    "rulebook_options_free": (None, [_vp]),
    "rulebook_options_set_limit": (_st, [_vp, _st, c_uint64]),
    "rulebook_options_get_limit": (c_uint64, [_vp, _st]),
    "rulebook_options_add_search_path": (_st, [_vp, _s]),
    # rulebooks
    "rulebook_load_file": (_st, [_s, _vp, POINTER(_vp), _vp]),
    "rulebook_load_buffer": (_st, [_s, _sz, _s, _vp, POINTER(_vp), _vp]),
    "rulebook_free": (None, [_vp]),
    "rulebook_id": (_s, [_vp]),
    "rulebook_title": (_s, [_vp, _s]),
    "rulebook_subject": (_s, [_vp]),
    "rulebook_in_force_from": (_i32, [_vp]),
    "rulebook_in_force_until": (_i32, [_vp]),
    "rulebook_hash": (_s, [_vp]),
    "rulebook_input_count": (_sz, [_vp]),
    "rulebook_input_name": (_s, [_vp, _sz]),
    "rulebook_input_type": (_s, [_vp, _sz]),
    "rulebook_input_unit": (_s, [_vp, _sz]),
    "rulebook_input_index": (_st, [_vp, _s, _sz, POINTER(_sz)]),
    "rulebook_rule_count": (_sz, [_vp]),
    "rulebook_rule_id": (_s, [_vp, _sz]),
    "rulebook_rule_cite": (_s, [_vp, _sz]),
    "rulebook_rule_severity": (_s, [_vp, _sz]),
    "rulebook_rule_responsible_count": (_sz, [_vp, _sz]),
    "rulebook_rule_responsible": (_s, [_vp, _sz, _sz]),
    "rulebook_rule_index": (_st, [_vp, _s, _sz, POINTER(_sz)]),
    "rulebook_param_count": (_sz, [_vp]),
    "rulebook_param_name": (_s, [_vp, _sz]),
    "rulebook_param_unit": (_s, [_vp, _sz]),
    "rulebook_param_cite": (_s, [_vp, _sz]),
    "rulebook_param_provenance": (_s, [_vp, _sz]),
    "rulebook_param_value": (_s, [_vp, _sz, _i32]),
    "rulebook_lint": (_st, [_vp, _i32, _vp]),
    # facts
    "rulebook_facts_new": (_vp, [_vp]),
    "rulebook_facts_free": (None, [_vp]),
    "rulebook_facts_clear": (None, [_vp]),
    "rulebook_facts_set_decimal": (_st, [_vp, _s, _s, _vp]),
    "rulebook_facts_set_double": (_st, [_vp, _s, c_double, _vp]),
    "rulebook_facts_set_int": (_st, [_vp, _s, c_int64, _vp]),
    "rulebook_facts_set_bool": (_st, [_vp, _s, c_int, _vp]),
    "rulebook_facts_set_text": (_st, [_vp, _s, _s, _vp]),
    "rulebook_facts_set_date": (_st, [_vp, _s, _i32, _vp]),
    "rulebook_facts_set_missing": (_st, [_vp, _s, _vp]),
    "rulebook_facts_set_text_at": (_st, [_vp, _sz, _s, _sz, _vp]),
    "rulebook_facts_set_decimal_at": (_st, [_vp, _sz, _s, _sz, _vp]),
    "rulebook_facts_set_double_at": (_st, [_vp, _sz, c_double, _vp]),
    "rulebook_facts_set_missing_at": (_st, [_vp, _sz]),
    "rulebook_facts_set_json": (_st, [_vp, _s, _sz, _vp]),
    # evaluation and results
    "rulebook_verdict_str": (_s, [_st]),
    "rulebook_result_new": (_vp, [_vp]),
    "rulebook_result_free": (None, [_vp]),
    "rulebook_eval": (_st, [_vp, _vp, _i32, _vp, _vp]),
    "rulebook_result_as_of": (_i32, [_vp]),
    "rulebook_result_record_id": (_s, [_vp]),
    "rulebook_result_verdict": (_st, [_vp, _sz]),
    "rulebook_result_counts": (None, [_vp, POINTER(_u32)]),
    "rulebook_result_exception": (_s, [_vp, _sz]),
    "rulebook_result_missing_count": (_sz, [_vp, _sz]),
    "rulebook_result_missing": (_s, [_vp, _sz, _sz]),
    "rulebook_result_value": (_s, [_vp, _s]),
    "rulebook_result_obligation_count": (_sz, [_vp, _sz]),
    "rulebook_result_obligation_name": (_s, [_vp, _sz, _sz]),
    "rulebook_result_obligation_value": (_s, [_vp, _sz, _sz]),
    "rulebook_result_obligation_unit": (_s, [_vp, _sz, _sz]),
    "rulebook_result_message": (_s, [_vp, _sz, _s]),
    "rulebook_result_gap": (_s, [_vp, _sz]),
    "rulebook_result_json": (_st, [_vp, _u32, POINTER(_vp), POINTER(_sz)]),
    "rulebook_result_explain": (_st, [_vp, _u32, POINTER(_vp), POINTER(_sz)]),
    "rulebook_eval_json": (_st, [_vp, _s, _sz, _i32, _u32, POINTER(_vp), POINTER(_sz), _vp]),
    # targets
    "rulebook_target_status_str": (_s, [_st]),
    "rulebook_target_count": (_sz, [_vp]),
    "rulebook_target_id": (_s, [_vp, _sz]),
    "rulebook_target_cite": (_s, [_vp, _sz]),
    "rulebook_target_responsible_count": (_sz, [_vp, _sz]),
    "rulebook_target_responsible": (_s, [_vp, _sz, _sz]),
    "rulebook_target_unit": (_s, [_vp, _sz]),
    "rulebook_result_target_status": (_st, [_vp, _sz]),
    "rulebook_result_target_value": (_s, [_vp, _sz, _st]),
    # scorecards
    "rulebook_scorecard_count": (_sz, [_vp]),
    "rulebook_scorecard_id": (_s, [_vp, _sz]),
    "rulebook_scorecard_component_count": (_sz, [_vp, _sz]),
    "rulebook_scorecard_component_id": (_s, [_vp, _sz, _sz]),
    "rulebook_scorecard_class_count": (_sz, [_vp, _sz]),
    "rulebook_scorecard_class_id": (_s, [_vp, _sz, _sz]),
    "rulebook_result_class": (_s, [_vp, _sz]),
    "rulebook_result_score": (_s, [_vp, _sz]),
    "rulebook_result_veto": (_s, [_vp, _sz]),
    "rulebook_result_component": (_s, [_vp, _sz, _sz, _st]),
    "rulebook_result_consequence_count": (_sz, [_vp, _sz]),
    "rulebook_result_consequence_name": (_s, [_vp, _sz, _sz]),
    "rulebook_result_consequence_value": (_s, [_vp, _sz, _sz]),
    "rulebook_result_consequence_unit": (_s, [_vp, _sz, _sz]),
    # populations
    "rulebook_population_new": (_vp, [_vp, _i32]),
    "rulebook_population_free": (None, [_vp]),
    "rulebook_population_add": (_st, [_vp, _vp, _vp]),
    "rulebook_population_copy": (_vp, [_vp]),
    "rulebook_eval_population": (_st, [_vp, POINTER(_vp), _sz, _i32, POINTER(_vp), _vp]),
    "rulebook_population_size": (_sz, [_vp]),
    "rulebook_population_record_id": (_s, [_vp, _sz]),
    "rulebook_population_verdict": (_st, [_vp, _sz, _sz]),
    "rulebook_population_counts": (None, [_vp, POINTER(_u32)]),
    "rulebook_population_class": (_s, [_vp, _sz, _sz]),
    "rulebook_population_score": (_s, [_vp, _sz, _sz]),
    "rulebook_aggregate_count": (_sz, [_vp]),
    "rulebook_aggregate_id": (_s, [_vp, _sz]),
    "rulebook_aggregate_cite": (_s, [_vp, _sz]),
    "rulebook_population_aggregate_verdict": (_st, [_vp, _sz]),
    "rulebook_population_aggregate_value": (_s, [_vp, _sz, _st]),
    "rulebook_population_aggregate_record_count": (_sz, [_vp, _sz]),
    "rulebook_population_aggregate_record": (_sz, [_vp, _sz, _sz]),
    "rulebook_population_json": (_st, [_vp, _u32, POINTER(_vp), POINTER(_sz)]),
    # the rulebook's own tests
    "rulebook_run_tests": (_st, [_vp, POINTER(_vp), _vp]),
    "rulebook_test_report_free": (None, [_vp]),
    "rulebook_test_report_passed": (_sz, [_vp]),
    "rulebook_test_report_failed": (_sz, [_vp]),
    "rulebook_test_report_case": (_s, [_vp, _sz]),
    "rulebook_test_report_check": (_s, [_vp, _sz]),
    "rulebook_test_report_expected": (_s, [_vp, _sz]),
    "rulebook_test_report_actual": (_s, [_vp, _sz]),
    "rulebook_test_report_line": (_u32, [_vp, _sz]),
}


# Functions added after 0.1.0's first release: used when the library has
# them, worked around when it does not (the attribute is then None).
_OPTIONAL = {
    "rulebook_facts_set_id": (_st, [_vp, _s, _sz]),
    # Arrays are passed as addresses (int) or ctypes arrays.
    "rulebook_population_add_table": (_st, [_vp, _sz, _vp, _sz, _vp, _vp, _vp, POINTER(_sz),
                                            _vp]),
    "rulebook_population_add_columns": (_st, [_vp, _sz, _vp, _sz, _vp, _vp, _vp]),
    "rulebook_population_report_html": (_st, [_vp, _s, _sz, _s, _sz, POINTER(_vp), POINTER(_sz),
                                              _vp]),
    # Arrow batches in, results in bulk, merging and moving populations
    "rulebook_population_add_arrow": (_st, [_vp, _vp, _vp, _u32, _vp, POINTER(_sz), _vp]),
    "rulebook_population_verdicts": (_st, [_vp, _vp]),
    "rulebook_population_classes": (_st, [_vp, _sz, _vp]),
    "rulebook_population_results_arrow_stream": (_st, [_vp, _vp, _vp]),
    "rulebook_population_scores_text": (_st, [_vp, _sz, POINTER(_vp), POINTER(_sz)]),
    "rulebook_population_scores_double": (_st, [_vp, _sz, _vp]),
    "rulebook_population_set_threads": (_st, [_vp, _sz]),
    "rulebook_population_merge": (_st, [_vp, _vp, _vp]),
    "rulebook_population_save": (_st, [_vp, POINTER(_vp), POINTER(_sz)]),
    "rulebook_population_save_deferred": (_st, [_vp, POINTER(_vp), POINTER(_sz)]),
    "rulebook_population_load": (_st, [_vp, _vp, _sz, POINTER(_vp), _vp]),
    "rulebook_population_as_of": (_i32, [_vp]),
    # Packed records: one call per record (Rulebook.evaluate)
    "rulebook_packed_record_size": (_sz, [_vp]),
    "rulebook_packed_result_size": (_sz, [_vp]),
    "rulebook_eval_packed": (_st, [_vp, _vp, _vp, _sz, _i32, _vp, _vp, _sz, _vp]),
    "rulebook_packed_scored_size": (_sz, [_vp]),
    "rulebook_eval_packed_scored": (_st, [_vp, _vp, _vp, _sz, _i32, _vp, _vp, _sz, _vp]),
    # how a result is decided
    "rulebook_result_set_exact_only": (None, [_vp, c_int]),
    "rulebook_result_decided_exactly": (c_int, [_vp]),
    # decimal text (buffers as ctypes char arrays)
    "rulebook_decimal_parse": (_st, [_s, _sz, c_char_p, _sz, POINTER(_sz), _vp]),
    "rulebook_decimal_compare": (_st, [_s, _sz, _s, _sz, POINTER(c_int)]),
    "rulebook_decimal_calc": (_st, [_s, _sz, _st, _s, _sz, c_char_p, _sz, POINTER(_sz)]),
    "rulebook_decimal_format": (_st, [_s, _sz, _i32, _st, _u32, c_char_p, _sz, POINTER(_sz)]),
    # the test cases as data, and the report's columns
    "rulebook_test_report_column": (_u32, [_vp, _sz]),
    "rulebook_test_count": (_sz, [_vp]),
    "rulebook_test_name": (_s, [_vp, _sz]),
    "rulebook_test_as_of": (_i32, [_vp, _sz]),
    "rulebook_test_line": (_u32, [_vp, _sz]),
    "rulebook_test_column": (_u32, [_vp, _sz]),
    "rulebook_test_is_population": (c_int, [_vp, _sz]),
    "rulebook_test_record_count": (_sz, [_vp, _sz]),
    "rulebook_test_fact_count": (_sz, [_vp, _sz, _sz]),
    "rulebook_test_fact_name": (_s, [_vp, _sz, _sz, _sz]),
    "rulebook_test_fact_value": (_s, [_vp, _sz, _sz, _sz]),
    "rulebook_test_fact_line": (_u32, [_vp, _sz, _sz, _sz]),
    "rulebook_test_fact_column": (_u32, [_vp, _sz, _sz, _sz]),
    "rulebook_test_expect_count": (_sz, [_vp, _sz]),
    "rulebook_test_expect_kind": (c_int, [_vp, _sz, _sz]),
    "rulebook_test_expect_name": (_s, [_vp, _sz, _sz]),
    "rulebook_test_expect_value": (_s, [_vp, _sz, _sz]),
    "rulebook_test_expect_places": (_i32, [_vp, _sz, _sz]),
    "rulebook_test_expect_line": (_u32, [_vp, _sz, _sz]),
    "rulebook_test_expect_column": (_u32, [_vp, _sz, _sz]),
    # where items are written; a rule's comparisons and the values it used
    "rulebook_item_file": (_s, [_vp, _st, _sz]),
    "rulebook_item_line": (_u32, [_vp, _st, _sz]),
    "rulebook_item_column": (_u32, [_vp, _st, _sz]),
    "rulebook_rule_comparison_count": (_sz, [_vp, _sz]),
    "rulebook_result_comparison": (_s, [_vp, _sz, _sz, _st]),
    "rulebook_result_used_count": (_sz, [_vp, _sz]),
    "rulebook_result_used_name": (_s, [_vp, _sz, _sz]),
    "rulebook_result_used_kind": (_s, [_vp, _sz, _sz]),
    "rulebook_result_used_unit": (_s, [_vp, _sz, _sz]),
    "rulebook_result_used_value": (_s, [_vp, _sz, _sz]),
    # exact gap parts, errors, illustrative verdicts, what unknowns miss
    "rulebook_result_gap_count": (_sz, [_vp, _sz]),
    "rulebook_result_gap_part": (_s, [_vp, _sz, _sz, _st]),
    "rulebook_result_illustrative": (c_int, [_vp, _sz]),
    "rulebook_result_error": (_s, [_vp, _sz]),
    "rulebook_result_target_missing_count": (_sz, [_vp, _sz]),
    "rulebook_result_target_missing": (_s, [_vp, _sz, _sz]),
    "rulebook_result_class_error": (_s, [_vp, _sz]),
    "rulebook_result_class_missing_count": (_sz, [_vp, _sz]),
    "rulebook_result_class_missing": (_s, [_vp, _sz, _sz]),
    "rulebook_result_class_missing_part": (_s, [_vp, _sz, _sz]),
    # identity of the whole closure
    "rulebook_file_hash": (_s, [_vp]),
    "rulebook_parent_count": (_sz, [_vp]),
    "rulebook_parent_id": (_s, [_vp, _sz]),
    "rulebook_parent_hash": (_s, [_vp, _sz]),
    # per-record vetoes and consequences, what leaves an aggregate unknown
    "rulebook_population_veto": (_s, [_vp, _sz, _sz]),
    "rulebook_population_consequence_count": (_sz, [_vp, _sz, _sz]),
    "rulebook_population_consequence_name": (_s, [_vp, _sz, _sz, _sz]),
    "rulebook_population_consequence_value": (_s, [_vp, _sz, _sz, _sz]),
    "rulebook_population_consequence_unit": (_s, [_vp, _sz, _sz, _sz]),
    "rulebook_population_aggregate_undecided_count": (_sz, [_vp, _sz]),
    "rulebook_population_aggregate_undecided": (_sz, [_vp, _sz, _sz]),
    "rulebook_population_aggregate_missing_count": (_sz, [_vp, _sz]),
    "rulebook_population_aggregate_missing": (_s, [_vp, _sz, _sz]),
    # what a rulebook declares: documents, titles, labels, other names,
    # list inputs' fields, items (rulebook/_declarations.py)
    "rulebook_document_count": (_sz, [_vp]),
    "rulebook_document_id": (_s, [_vp, _sz]),
    "rulebook_document_issuer": (_s, [_vp, _sz]),
    "rulebook_document_title": (_s, [_vp, _sz]),
    "rulebook_document_number": (_s, [_vp, _sz]),
    "rulebook_document_issued": (_i32, [_vp, _sz]),
    "rulebook_rule_document": (c_int64, [_vp, _sz]),
    "rulebook_rule_title": (_s, [_vp, _sz, _s]),
    "rulebook_target_title": (_s, [_vp, _sz, _s]),
    "rulebook_scorecard_title": (_s, [_vp, _sz, _s]),
    "rulebook_scorecard_cite": (_s, [_vp, _sz]),
    "rulebook_aggregate_title": (_s, [_vp, _sz, _s]),
    "rulebook_aggregate_unit": (_s, [_vp, _sz]),
    "rulebook_aggregate_responsible_count": (_sz, [_vp, _sz]),
    "rulebook_aggregate_responsible": (_s, [_vp, _sz, _sz]),
    "rulebook_input_label": (_s, [_vp, _sz, _s]),
    "rulebook_input_alias_count": (_sz, [_vp, _sz]),
    "rulebook_input_alias": (_s, [_vp, _sz, _sz]),
    "rulebook_id_column_count": (_sz, [_vp]),
    "rulebook_id_column": (_s, [_vp, _sz]),
    "rulebook_input_element_type": (_s, [_vp, _sz]),
    "rulebook_input_field_count": (_sz, [_vp, _sz]),
    "rulebook_input_field_name": (_s, [_vp, _sz, _sz]),
    "rulebook_input_field_type": (_s, [_vp, _sz, _sz]),
    "rulebook_input_field_unit": (_s, [_vp, _sz, _sz]),
    "rulebook_item_count": (_sz, [_vp, _st]),
    "rulebook_item_id": (_s, [_vp, _st, _sz]),
    "rulebook_item_uses_count": (_sz, [_vp, _st, _sz]),
    "rulebook_item_uses": (_s, [_vp, _st, _sz, _sz]),
    "rulebook_item_definition": (_s, [_vp, _st, _sz]),
    "rulebook_item_document": (c_int64, [_vp, _st, _sz]),
    # a population's results as one Arrow batch, scores as decimal128
    # (rulebook/_exports.py)
    "rulebook_population_results_arrow": (_st, [_vp, _vp, _vp, _vp]),
    "rulebook_population_scores_decimal128": (_st, [_vp, _sz, _i32, _vp, _vp, _vp]),
    # list facts (rulebook/_lists.py)
    "rulebook_facts_set_list_text_at": (_st, [_vp, _sz, _vp, _vp, _sz, _vp]),
    "rulebook_facts_set_list_double_at": (_st, [_vp, _sz, _vp, _sz, _vp]),
    # loading options (rulebook/_loading.py)
    "rulebook_options_allow_extends": (_st, [_vp, c_int]),
    "rulebook_options_set_resolver": (_st, [_vp, _vp, _vp]),
}


class LibraryNotFoundError(ImportError):
    """librulebook could not be found or loaded; ``tried`` lists every
    candidate with the reason it was rejected."""

    def __init__(self, tried: Sequence[Tuple[str, str]]):
        self.tried = list(tried)
        lines = [f"  {where}: {why}" for where, why in self.tried]
        super().__init__(
            "cannot load librulebook. Tried:\n" + "\n".join(lines) +
            f"\nBuild the library (meson setup build && ninja -C build) or set {ENV_VAR} "
            "to the path of librulebook.so.")


def _build_tree_candidates(start: Path) -> List[Path]:
    """build*/lib/librulebook.so in the package's directory and every parent,
    nearest directory first; within one directory the newest file first."""
    found: List[Path] = []
    for d in [start, *start.parents]:
        here = []
        try:
            for b in d.glob("build*"):
                so = b / "lib" / "librulebook.so"
                if so.is_file():
                    here.append(so)
        except OSError:
            continue
        here.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        found.extend(here)
    return found


def _candidates() -> List[Tuple[str, str]]:
    """(description, path or name) in the order they are tried."""
    out: List[Tuple[str, str]] = []
    env = os.environ.get(ENV_VAR)
    if env:
        out.append((f"${ENV_VAR}", env))
    for so in _build_tree_candidates(Path(__file__).resolve().parent):
        out.append(("build tree", str(so)))
    name = ctypes.util.find_library("rulebook")
    if name:
        out.append(("ctypes.util.find_library('rulebook')", name))
    out.append(("system", _SONAME))
    return out


class _Functions:
    """The library's functions with their prototypes; optional ones that
    the library lacks are None."""

    def __init__(self, dll: ctypes.CDLL):
        for name, (restype, argtypes) in _PROTOTYPES.items():
            fn = getattr(dll, name)
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)
        for name, (restype, argtypes) in _OPTIONAL.items():
            fn = getattr(dll, name, None)
            if fn is not None:
                fn.restype = restype
                fn.argtypes = argtypes
            setattr(self, name, fn)


def _declare(dll: ctypes.CDLL) -> "_Functions":
    return _Functions(dll)


def _open() -> Tuple["_Functions", str]:
    tried: List[Tuple[str, str]] = []
    env = os.environ.get(ENV_VAR)
    for how, path in _candidates():
        try:
            dll = ctypes.CDLL(path)
        except OSError as e:
            tried.append((f"{how} {path}", str(e)))
            if how == f"${ENV_VAR}":
                # An explicit setting that does not work is an error, not a
                # reason to pick some other copy silently.
                raise LibraryNotFoundError(tried) from None
            continue
        try:
            fns = _declare(dll)
        except AttributeError as e:
            tried.append((f"{how} {path}", f"not librulebook or too old: {e}"))
            continue
        number = fns.rulebook_version_number()
        if number // 1000000 != ABI_VERSION // 1000000 or number < ABI_VERSION:
            tried.append((f"{how} {path}",
                          f"version {fns.rulebook_version().decode()} is not compatible "
                          f"with this binding (needs {ABI_VERSION // 1000000}.x, at least "
                          f"{ABI_VERSION})"))
            if env and how == f"${ENV_VAR}":
                raise LibraryNotFoundError(tried)
            continue
        return fns, path
    raise LibraryNotFoundError(tried)


lib, path = _open()

# --- per-thread error objects --------------------------------------------------
#
# An error object belongs to one thread at a time; each thread gets its own,
# freed when the thread ends.


class _ErrorBox:
    __slots__ = ("ptr",)

    def __init__(self) -> None:
        p = lib.rulebook_error_new()
        if not p:
            raise MemoryError("rulebook_error_new failed")
        self.ptr = p

    def __del__(self) -> None:
        p, self.ptr = self.ptr, None
        if p and lib is not None:
            try:
                lib.rulebook_error_free(p)
            except Exception:  # interpreter shutdown
                pass


_tls = threading.local()


def thread_error() -> int:
    """This thread's rulebook_error (a pointer as int)."""
    box = getattr(_tls, "err", None)
    if box is None:
        box = _tls.err = _ErrorBox()
    return box.ptr


def text(b: Optional[bytes]) -> Optional[str]:
    """A C string copied into Python (None for NULL)."""
    return None if b is None else b.decode("utf-8")


def take_buffer(ptr: int, length: int) -> str:
    """Copy len bytes at ptr into a str (the pointer stays owned by C)."""
    return ctypes.string_at(ptr, length).decode("utf-8")
