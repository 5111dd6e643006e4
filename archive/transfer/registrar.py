"""Who may transfer (the unit's registrar, 文书) and how an item's status reads, shared by every source kind."""

from __future__ import annotations

from archive.keeping.models import ItemStatus
from oa.auth.principal import Principal
from oa.errors import InvalidInput
from oa.org.roles import Role
from oa.uow import UnitOfWork

STATUS_LABELS = {ItemStatus.TRANSFERRED: "已移交待接收", ItemStatus.ACCEPTED: "已接收", ItemStatus.REJECTED: "已退回"}


def registrar(uow: UnitOfWork) -> Principal:
    me = uow.actor
    if me is None:
        raise InvalidInput("归档移交须由登录的文书办理")
    me.require(Role.REGISTRAR)
    return me
