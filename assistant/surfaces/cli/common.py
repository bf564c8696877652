"""What every command group shares: settings and the composition root, loaded only when a
command needs them (so `beacon --help` loads no model)."""

from __future__ import annotations

from typing import Any


def settings() -> Any:
    from assistant.settings import load_settings

    return load_settings()


def deps() -> Any:
    from assistant.services.deps import build_deps

    return build_deps(settings())
