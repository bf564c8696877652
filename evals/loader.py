"""Load suite files; an invalid suite raises SuiteError naming the file, the case id, the field
and what is allowed there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from evals.errors import SuiteError
from evals.models import Case, Defaults, Expect, Suite, Turn


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model that owns the last element of a validation error location."""
    model: type[BaseModel] = Suite
    path = list(loc[:-1])
    while path:
        key = path.pop(0)
        if model is Suite and key == "cases":
            model = Case
            if path and isinstance(path[0], int):
                path.pop(0)
        elif model is Suite and key == "defaults":
            model = Defaults
        elif model is Case and key == "turns":
            model = Turn
            if path and isinstance(path[0], int):
                path.pop(0)
        elif key == "expect":
            model = Expect
    return model


def _describe(err: dict[str, Any], raw: object, path: Path) -> str:
    loc = tuple(err["loc"])
    case_id = None
    if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int) and isinstance(raw, dict):
        cases = raw.get("cases") or []
        if loc[1] < len(cases) and isinstance(cases[loc[1]], dict):
            case_id = cases[loc[1]].get("id")
        field = ".".join(str(x) for x in loc[2:]) or "(the case)"
        where = f"case '{case_id}'" if case_id else f"case #{loc[1] + 1}"
    else:
        field = ".".join(str(x) for x in loc) or "(top level)"
        where = "suite"
    if err["type"] == "extra_forbidden":
        allowed = ", ".join(_model_at(loc).model_fields)
        what = f"is not a known field (allowed here: {allowed})"
    else:
        what = f"is invalid: {err['msg']}"
    return f"{path}: {where}: field '{field}' {what}."


def load_suite(path: Path) -> Suite:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SuiteError(f"{path}: cannot be read ({e}).") from e
    except UnicodeDecodeError as e:
        raise SuiteError(f"{path}: is not UTF-8 text.") from e
    except yaml.YAMLError as e:
        raise SuiteError(f"{path}: is not valid YAML ({e}).") from e
    if not isinstance(raw, dict):
        raise SuiteError(f"{path}: a suite must be a mapping with 'suite' and 'cases'.")
    try:
        return Suite.model_validate(raw)
    except ValidationError as e:
        raise SuiteError(_describe(e.errors()[0], raw, path)) from e  # type: ignore[arg-type]


def load_suites(paths: list[Path]) -> list[tuple[Path, Suite]]:
    """Every suite named, or every *.yaml under a named folder; suite ids must be unique."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml"))
        elif p.exists():
            files.append(p)
        else:
            raise SuiteError(f"{p}: no such suite file or folder.")
    if not files:
        raise SuiteError(f"No suite files found in {', '.join(str(p) for p in paths)}.")
    out: list[tuple[Path, Suite]] = []
    seen: dict[str, Path] = {}
    for f in files:
        suite = load_suite(f)
        if suite.suite in seen:
            raise SuiteError(f"{f}: suite id '{suite.suite}' is already used by {seen[suite.suite]}.")
        seen[suite.suite] = f
        out.append((f, suite))
    return out
