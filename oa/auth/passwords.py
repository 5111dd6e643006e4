"""Password hashing with Argon2id (argon2-cffi), and the password rules."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from oa.errors import FieldError, InvalidInput

_hasher = PasswordHasher()  # RFC 9106 low-memory profile: argon2id, 64 MiB, 3 passes
MIN_LENGTH = 8


@cache
def _dummy_hash() -> str:
    # Checked when the username is unknown, so that the answer takes as long either way.
    return _hasher.hash("not-a-real-password-0")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput("密码太短", errors=[FieldError("password", f"密码至少 {MIN_LENGTH} 位")])
    if len(password) > 256:
        raise InvalidInput("密码太长", errors=[FieldError("password", "密码最多 256 位")])
    if password.isdigit() or password.isalpha():
        raise InvalidInput("密码太简单", errors=[FieldError("password", "密码须同时包含字母和数字或符号")])
