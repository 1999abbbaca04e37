"""Settings of the HTTP service: API keys, limits, the engine."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from luanchuyen.errors import InputError

__all__ = ["ServerSettings"]

BackendName = Literal["durable", "reference", "vector"]

_MIB = 1024 * 1024


def _read_keys(text: str) -> frozenset[str]:
    """Keys separated by commas or new lines; blank items and ``#`` comments are skipped."""
    keys: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        keys.update(k.strip() for k in line.split(",") if k.strip())
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """What the service enforces.

    Attributes:
        api_keys: when not empty, every ``/v1`` call (and every form the page posts) needs
            ``Authorization: Bearer <key>`` with one of them; otherwise 401.
        max_body_bytes: larger request bodies are refused with 413 (``payload_too_large``).
        max_rows: more rows in one ``/v1/evaluate-many`` call or one uploaded sheet are
            refused with 413 (``too_many_rows``).
        time_limit_seconds: a request still computing after this long answers 503
            (``time_limit``); a streamed batch reports its remaining rows as errors.
        backend: the engine used when a request names none: ``reference`` (pure Python, no
            process-wide state, about twice as fast per evaluation here as ``durable``, whose
            sessions are serialised under one lock); every backend gives the same decisions
            (the differential tests).
    """

    api_keys: frozenset[str] = field(default_factory=frozenset, repr=False)
    max_body_bytes: int = 10 * _MIB
    max_rows: int = 10_000
    time_limit_seconds: float = 60.0
    backend: BackendName = "reference"

    @property
    def auth_required(self) -> bool:
        """Whether API keys are configured."""
        return bool(self.api_keys)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        keys_file: str | None = None,
        **overrides: Any,
    ) -> ServerSettings:
        """Settings from the environment (then ``overrides``).

        ``LUANCHUYEN_API_KEYS`` holds keys separated by commas; ``LUANCHUYEN_API_KEYS_FILE``
        (or ``keys_file``) names a file with one key per line (``#`` starts a comment).
        Keys from both are accepted.

        Raises:
            InputError: the key file cannot be read.
        """
        env = os.environ if environ is None else environ
        keys = set(_read_keys(env.get("LUANCHUYEN_API_KEYS", "")))
        path = keys_file or env.get("LUANCHUYEN_API_KEYS_FILE")
        if path:
            try:
                keys |= _read_keys(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(
                    "invalid_input",
                    f"Không đọc được tệp khóa truy cập {path}: {exc.__class__.__name__}",
                    f"Cannot read the API key file {path}: {exc.__class__.__name__}",
                    field="LUANCHUYEN_API_KEYS_FILE",
                ) from None
        return replace(cls(api_keys=frozenset(keys)), **overrides)
