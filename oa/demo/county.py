"""The demo county as plain data: units, their internal offices, and the positions staffed in each.

The towns, sub-districts and departments are those of 象山县; the people are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from oa.org.models import UnitKind
from oa.org.roles import Role

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the published demo password, demo county only


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    short_name: str
    kind: UnitKind
    offices: tuple[tuple[str, str], ...]


COUNTY = DemoUnit("XSX", "象山县人民政府", "象山县政府", UnitKind.COUNTY,
                  (("MSK", "秘书科"), ("ZHK", "综合科"), ("WDK", "文电科"), ("DCS", "督查室"), ("XXZX", "信息中心")))

_TOWN_OFFICES = (("DZB", "党政办公室"), ("JJB", "经济发展办公室"), ("SHB", "社会事务办公室"), ("NYB", "农业农村办公室"))
_DEPT_OFFICES = (("BGS", "办公室"), ("ZCK", "政策法规科"), ("CWK", "计划财务科"))

_TOWNS = [
    ("DDJD", "象山县丹东街道办事处", "丹东街道", UnitKind.SUBDISTRICT),
    ("DXJD", "象山县丹西街道办事处", "丹西街道", UnitKind.SUBDISTRICT),
    ("JXJD", "象山县爵溪街道办事处", "爵溪街道", UnitKind.SUBDISTRICT),
    ("SPZ", "象山县石浦镇人民政府", "石浦镇", UnitKind.TOWN),
    ("XZZ", "象山县西周镇人民政府", "西周镇", UnitKind.TOWN),
    ("HPZ", "象山县鹤浦镇人民政府", "鹤浦镇", UnitKind.TOWN),
    ("XXZ", "象山县贤庠镇人民政府", "贤庠镇", UnitKind.TOWN),
    ("QTZ", "象山县墙头镇人民政府", "墙头镇", UnitKind.TOWN),
    ("SZTZ", "象山县泗洲头镇人民政府", "泗洲头镇", UnitKind.TOWN),
    ("DTZ", "象山县定塘镇人民政府", "定塘镇", UnitKind.TOWN),
    ("TCZ", "象山县涂茨镇人民政府", "涂茨镇", UnitKind.TOWN),
    ("DXZ", "象山县大徐镇人民政府", "大徐镇", UnitKind.TOWN),
    ("XQZ", "象山县新桥镇人民政府", "新桥镇", UnitKind.TOWN),
    ("DCX", "象山县东陈乡人民政府", "东陈乡", UnitKind.TOWNSHIP),
    ("XTX", "象山县晓塘乡人民政府", "晓塘乡", UnitKind.TOWNSHIP),
    ("HBAX", "象山县黄避岙乡人民政府", "黄避岙乡", UnitKind.TOWNSHIP),
    ("MYX", "象山县茅洋乡人民政府", "茅洋乡", UnitKind.TOWNSHIP),
    ("GTDX", "象山县高塘岛乡人民政府", "高塘岛乡", UnitKind.TOWNSHIP),
]

_DEPARTMENTS = [
    ("ZFB", "象山县人民政府办公室", "县府办"),
    ("FGJ", "象山县发展和改革局", "县发改局"),
    ("JYJ", "象山县教育局", "县教育局"),
    ("KJJ", "象山县科学技术局", "县科技局"),
    ("GAJ", "象山县公安局", "县公安局"),
    ("MZJ", "象山县民政局", "县民政局"),
    ("SFJ", "象山县司法局", "县司法局"),
    ("CZJ", "象山县财政局", "县财政局"),
    ("RSJ", "象山县人力资源和社会保障局", "县人社局"),
    ("ZRJ", "象山县自然资源和规划局", "县自然资源局"),
    ("ZJJ", "象山县住房和城乡建设局", "县住建局"),
    ("JTJ", "象山县交通运输局", "县交通局"),
    ("SLJ", "象山县水利局", "县水利局"),
    ("NYJ", "象山县农业农村局", "县农业农村局"),
    ("SWJ", "象山县商务局", "县商务局"),
    ("WGLTJ", "象山县文化和广电旅游体育局", "县文广旅体局"),
    ("WJJ", "象山县卫生健康局", "县卫健局"),
    ("YJJ", "象山县应急管理局", "县应急局"),
    ("SJJ", "象山县审计局", "县审计局"),
    ("SCJGJ", "象山县市场监督管理局", "县市场监管局"),
    ("TJJ", "象山县统计局", "县统计局"),
    ("DAG", "象山县档案馆", "县档案馆"),
]

UNITS: tuple[DemoUnit, ...] = (
    COUNTY,
    *(DemoUnit(c, n, s, k, _TOWN_OFFICES) for c, n, s, k in _TOWNS),
    *(DemoUnit(c, n, s, UnitKind.DEPARTMENT, _DEPT_OFFICES) for c, n, s in _DEPARTMENTS),
)


@dataclass(frozen=True)
class Post:
    """A post staffed in every unit: username suffix, position title, role, and which office (index) it sits in."""

    suffix: str
    position: str
    role: Role
    office: int


def posts_for(unit: DemoUnit) -> tuple[Post, ...]:
    if unit.kind == UnitKind.COUNTY:
        head, deputy = "县长", "副县长"
    elif unit.kind == UnitKind.SUBDISTRICT:
        head, deputy = "主任", "副主任"
    elif unit.kind == UnitKind.DEPARTMENT:
        head, deputy = "局长", "副局长"
    else:
        head, deputy = ("镇长", "副镇长") if unit.kind == UnitKind.TOWN else ("乡长", "副乡长")
    return (
        Post("leader", head, Role.SIGNER, 0),
        Post("deputy", deputy, Role.SIGNER, 0),
        Post("reviewer", "办公室主任", Role.REVIEWER, 0),
        Post("drafter", "科员", Role.DRAFTER, 1),
        Post("drafter2", "科员", Role.DRAFTER, 2),
        Post("registrar", "文书", Role.REGISTRAR, 0),
        Post("archivist", "档案员", Role.ARCHIVIST, 0),
    )


# The three separated administrators (三员) sit in the county government's 信息中心.
ADMINS = (("sysadmin", "系统管理员", Role.SYSADMIN), ("secadmin", "安全保密管理员", Role.SECADMIN),
          ("auditadmin", "安全审计员", Role.AUDITADMIN))

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
    "姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
)
_GIVEN = ("建国", "海燕", "志强", "晓东", "丽华", "卫东", "国平", "秀英", "伟", "敏", "静", "磊", "洋", "艳",
          "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "桂英", "文斌", "雪梅", "海波", "春燕",
          "立新", "宏伟", "玉兰", "建华", "晓燕", "振华", "佳怡", "子涵", "浩然", "一鸣", "思远")


def person_name(index: int) -> str:
    """A deterministic, varied Chinese name for the n-th demo person."""
    return _SURNAMES[(index * 7) % len(_SURNAMES)] + _GIVEN[(index * 11) % len(_GIVEN)]
