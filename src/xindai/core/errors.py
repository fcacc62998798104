"""Errors the domain and services raise on purpose, mapped to HTTP in one place (xindai.api)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule said no: the request was understood but cannot be carried out."""

    status = 409
    code = "rule_violation"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.details = details if details is not None else {}


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class FormInvalid(DomainError):
    """Input that failed validation: ``details`` maps each field to its messages."""

    status = 422
    code = "validation_error"
