"""Roles and the separation of duties (三员分立) as pure rules.

A business role lets a person work on documents of their own unit; the three administrator roles manage the
system and may never be combined with each other or with a business role, so that no single account can both
change the system and read documents, or both act and erase the traces of acting.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DRAFTER = "drafter"  # 拟稿人
    REVIEWER = "reviewer"  # 核稿人
    SIGNER = "signer"  # 签发人 (leader)
    REGISTRAR = "registrar"  # 文书 / 收发
    ARCHIVIST = "archivist"  # 档案员
    SYSADMIN = "sysadmin"  # 系统管理员: accounts and units, never documents
    SECADMIN = "secadmin"  # 安全保密管理员: roles, unlocking, security policy
    AUDITADMIN = "auditadmin"  # 安全审计员: the only reader of the audit trail


ROLE_LABELS: dict[Role, str] = {
    Role.DRAFTER: "拟稿人",
    Role.REVIEWER: "核稿人",
    Role.SIGNER: "签发人",
    Role.REGISTRAR: "文书/收发",
    Role.ARCHIVIST: "档案员",
    Role.SYSADMIN: "系统管理员",
    Role.SECADMIN: "安全保密管理员",
    Role.AUDITADMIN: "安全审计员",
}

ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)


class RoleConflict(ValueError):
    """The requested role set breaks the separation of duties."""


def check_role_set(roles: set[Role]) -> None:
    admin = roles & ADMIN_ROLES
    if len(admin) > 1:
        names = "、".join(ROLE_LABELS[r] for r in sorted(admin))
        raise RoleConflict(f"三员分立：{names} 不能由同一人担任")
    if admin and roles & BUSINESS_ROLES:
        raise RoleConflict(f"三员分立：{ROLE_LABELS[next(iter(admin))]} 不能同时担任业务角色")
