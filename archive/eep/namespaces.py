"""The EEP (DA/T 48-2009) namespace and its Chinese element names, in one place.

Every module that writes or reads an archive package names elements through these constants, so a
spelling mistake is an ``AttributeError`` at import time instead of a silently invalid package.
``q(name)`` turns a local name into lxml's Clark notation ``{namespace}name``.
"""

from __future__ import annotations

from typing import Final

EEP_NS: Final = "http://www.saac.gov.cn/standards/ERM/encapsulation"
EEP_VERSION: Final = "2009"

FORMAT_DESCRIPTION: Final = "本EEP根据中华人民共和国档案行业标准DA/T 48-2009《基于XML的电子文件封装规范》生成"
ORIGINAL_TYPE: Final = "原始型"
REVISION_TYPE: Final = "修改型"
TYPE_DESCRIPTIONS: Final = {
    ORIGINAL_TYPE: "本封装包包含电子文件数据及其元数据，原始封装，未经修改",
    REVISION_TYPE: "本封装包包含电子文件元数据的修改，原封装包完整保留于被修改封装包中",
}

# Root and package header.
PACKAGE: Final = "电子文件封装包"
PACKAGE_FORMAT_DESCRIPTION: Final = "封装包格式描述"
VERSION: Final = "版本"
SIGNED_OBJECT: Final = "被签名对象"
SIGNED_OBJECT_VERSION_ATTR: Final = "eep版本"
PACKAGE_TYPE: Final = "封装包类型"
PACKAGE_TYPE_DESCRIPTION: Final = "封装包类型描述"
CREATED_AT: Final = "封装包创建时间"
CREATED_BY: Final = "封装包创建单位"
CONTENT: Final = "封装内容"
REVISION_CONTENT: Final = "修改封装内容"

# 修改型 packages (the project's reading of DA/T 48: declaration, the untouched original, the change).
REVISION_DECLARATION: Final = "修改声明"
REVISED_PACKAGE: Final = "被修改封装包"
REVISION_LAYER: Final = "修改层"

# File entity (DA/T 46 metadata).
FILE_ENTITY_BLOCK: Final = "文件实体块"
FILE_ENTITY: Final = "文件实体"
AGGREGATION_LEVEL: Final = "聚合层次"
ORIGIN: Final = "来源"
ARCHIVE_NAME: Final = "档案馆名称"
ARCHIVE_CODE: Final = "档案馆代码"
FONDS_NAME: Final = "全宗名称"
FILE_NUMBER: Final = "电子文件号"
ARCHIVAL_CODE: Final = "档号"
CONTENT_DESCRIPTION: Final = "内容描述"
TITLE: Final = "题名"
DOCUMENT_NUMBER: Final = "文件编号"
RESPONSIBLE: Final = "责任者"
DATE: Final = "日期"
DOCUMENT_TYPE: Final = "文种"
URGENCY: Final = "紧急程度"
PRIMARY_RECIPIENT: Final = "主送"
COPY_RECIPIENT: Final = "抄送"
CLASSIFICATION: Final = "密级"
CLASSIFICATION_PERIOD: Final = "保密期限"
FORM: Final = "形式特征"
PAGE_COUNT: Final = "页数"
DOCUMENT_COUNT: Final = "文件组合类型"
STORAGE: Final = "存储位置"
STORAGE_ONLINE: Final = "在线存址"
ACCESS: Final = "权限管理"
ACCESS_DECLARATION: Final = "知识产权说明"
ACCESS_CONTROL: Final = "控制标识"
NOTE: Final = "附注"

# Files inside the file entity.
FILE_DATA: Final = "文件数据"
DOCUMENT: Final = "文档"
DOCUMENT_ID: Final = "文档标识符"
DOCUMENT_ROLE: Final = "文档主从声明"
DOCUMENT_DATA: Final = "文档数据"
DOCUMENT_DATA_ID: Final = "文档数据标识符"
ENCODING: Final = "编码"
ENCODING_ID: Final = "编码标识符"
ELECTRONIC_ATTRIBUTES: Final = "电子属性"
FORMAT_INFO: Final = "格式信息"
COMPUTER_FILE_NAME: Final = "计算机文件名"
COMPUTER_FILE_SIZE: Final = "计算机文件大小"
CREATING_APPLICATION: Final = "文档创建程序"
ENCODING_DESCRIPTION: Final = "编码描述"
DECODING_KEY: Final = "反编码关键字"
ENCODED_DATA: Final = "编码数据"
# The project's own addition (see schema/eep-2009.xsd): digests of the decoded file bytes, written after
# 编码数据 so the builder can compute them while streaming.
FILE_DIGEST: Final = "文件摘要"
DIGEST_ALGORITHM_ATTR: Final = "摘要算法"

MAIN_DOCUMENT: Final = "主文档"
ATTACHED_DOCUMENT: Final = "附属文档"

# Business (workflow history) entities.
BUSINESS_ENTITY_BLOCK: Final = "业务实体块"
BUSINESS_ENTITY: Final = "业务实体"
BUSINESS_ID: Final = "业务标识符"
AGENT_ID: Final = "机构人员标识符"
FILE_ID: Final = "文件标识符"
BUSINESS_STATE: Final = "业务状态"
BUSINESS_ACTION: Final = "业务行为"
ACTION_TIME: Final = "行为时间"
ACTION_BASIS: Final = "行为依据"
ACTION_DESCRIPTION: Final = "行为描述"

# Organisation and person entities.
AGENT_ENTITY_BLOCK: Final = "机构人员实体块"
AGENT_ENTITY: Final = "机构人员实体"
AGENT_TYPE: Final = "机构人员类型"
AGENT_NAME: Final = "机构人员名称"
ORGANISATION_CODE: Final = "组织机构代码"
POSITION: Final = "个人职位"

# Signatures.
SIGNATURE_BLOCK: Final = "电子签名块"
SIGNATURE: Final = "电子签名"
SIGNATURE_ID: Final = "签名标识符"
SIGNATURE_RULE: Final = "签名规则"
SIGNATURE_TIME: Final = "签名时间"
SIGNER: Final = "签名人"
SIGNATURE_VALUE: Final = "签名结果"
CERTIFICATE_BLOCK: Final = "证书块"
CERTIFICATE: Final = "证书"
SIGNATURE_ALGORITHM: Final = "签名算法标识"
LOCK_SIGNATURE: Final = "锁定签名"
LOCKED_SIGNATURE_ID: Final = "被锁定签名标识符"


def q(local_name: str) -> str:
    """The Clark-notation name ``{EEP_NS}local_name`` lxml uses for an EEP element."""
    return f"{{{EEP_NS}}}{local_name}"
