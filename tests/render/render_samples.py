"""Documents of several 文种 for the renderer's tests, written for them (not copied from a real file): a
county 意见 with four heading levels over several pages, a classified urgent 通知, a 请示 with 签发人, a 函 in
the letter format, a 通知 with attachments and 抄送; and a seal drawn with Pillow.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Callable

from PIL import Image, ImageDraw

from docflow.render import Attachment, BodyBlock, RenderDocument

# ---------------------------------------------------------------------------------------------------------
# Documents. The text is written for these tests (a county opinion on digital government); it has the shape
# of a real 意见: four heading levels, run-in headings, numbers and Latin text, several pages.

_SENTENCES = [
    "各级各部门要从全局和战略高度深刻认识推进数字政府建设的重要性和紧迫性，切实把思想和行动统一到县委、县政府的决策部署上来。",
    "要坚持以人民为中心的发展思想，围绕企业和群众办事需求，优化服务流程，减少办事环节，提高办事效率。",
    "到2025年，县级政务服务事项网上可办率达到100％，“一网通办”覆盖率不低于95％，群众满意度持续提升。",
    "推进政务信息资源整合共享，建立统一的数据目录和交换体系，明确共享范围和更新时限，做到应享尽享。",
    "加强网络与信息安全保障，落实等级保护制度，定期开展风险评估和应急演练，确保系统安全稳定运行。",
    "县财政局要统筹安排建设和运行维护经费，加强项目资金的审计监督和绩效评价，防止重复建设和盲目投资。",
]


def paragraph(seed: int, sentences: int = 3) -> str:
    return "".join(_SENTENCES[(seed + i) % len(_SENTENCES)] for i in range(sentences))


def opinion() -> RenderDocument:
    """An 意见 with all four heading levels, long enough for four pages."""
    body: list[BodyBlock] = [
        BodyBlock(0, "为加快推进我县数字政府建设，提升政府治理能力和公共服务水平，现提出如下意见。")
    ]
    chapters = ["一、充分认识数字政府建设的重要意义", "二、总体要求和主要目标", "三、重点任务"]
    for c, chapter in enumerate(chapters):
        body.append(BodyBlock(1, chapter))
        body.append(BodyBlock(0, paragraph(c, 4)))
        for s, section in enumerate(["（一）统筹规划，分步实施", "（二）整合资源，共建共享"]):
            body.append(BodyBlock(2, section))
            body.append(BodyBlock(0, paragraph(c + s + 1, 3)))
        body.append(BodyBlock(3, "1. 加强组织领导。" + paragraph(c + 2, 2)))
        body.append(BodyBlock(4, "（1）建立工作专班，明确责任分工。"))
        body.append(BodyBlock(4, "（2）实行月度通报，年终纳入考核。" + paragraph(c + 3, 1)))
    body.append(BodyBlock(2, "（三）强化考核。" + paragraph(4, 2)))
    return RenderDocument(
        doc_type="意见",
        organ_mark="象山县人民政府文件",
        doc_number="象政发〔2026〕12号",
        title="象山县人民政府关于加快推进数字政府建设的意见",
        main_recipients="各镇（乡）人民政府、街道办事处，县政府各部门、各直属单位",
        body=tuple(body),
        issuer_signature="象山县人民政府",
        date=datetime.date(2026, 3, 9),
        seal_image=seal_png(),
        cc="县委各部门，县人大常委会办公室，县政协办公室，县法院，县检察院",
        printer="象山县人民政府办公室",
        print_date=datetime.date(2026, 3, 10),
    )


def notice() -> RenderDocument:
    """A classified, urgent 通知 of one page, with 附件说明."""
    return RenderDocument(
        doc_type="通知",
        organ_mark="象山县人民政府办公室文件",
        doc_number="象政办发〔2026〕3号",
        copy_no="000017",
        classification="机密",
        classification_period="5年",
        urgency="特急",
        title="象山县人民政府办公室关于做好2026年春节期间安全生产工作的通知",
        main_recipients="各镇（乡）人民政府、街道办事处，县政府各部门",
        body=(BodyBlock(0, paragraph(0, 2)), BodyBlock(1, "一、落实安全责任"), BodyBlock(0, paragraph(3, 2))),
        attachment_notes=(
            "象山县春节期间安全生产检查表",
            "象山县春节期间值班安排表（含各镇乡、街道和县级部门值班电话）",
        ),
        issuer_signature="象山县人民政府办公室",
        date=datetime.date(2026, 1, 20),
        printer="象山县人民政府办公室",
        print_date=datetime.date(2026, 1, 20),
    )


def request() -> RenderDocument:
    """A 请示 (upward) with three 签发人 and a 附注."""
    return RenderDocument(
        doc_type="请示",
        organ_mark="象山县人民政府文件",
        doc_number="象政〔2026〕5号",
        signers=("张明远", "李 华", "王建国"),
        title="象山县人民政府关于申请数字政府建设专项资金的请示",
        main_recipients="宁波市人民政府",
        body=(BodyBlock(0, paragraph(1, 3)), BodyBlock(0, "妥否，请批示。")),
        issuer_signature="象山县人民政府",
        date=datetime.date(2026, 2, 14),
        note="联系人：陈静，电话：0574-65721234",
        printer="象山县人民政府办公室",
        print_date=datetime.date(2026, 2, 15),
    )


def letter() -> RenderDocument:
    """A 函 in the letter format."""
    return RenderDocument(
        doc_type="函",
        organ_mark="象山县人民政府办公室",
        doc_number="象政办函〔2026〕8号",
        letter_format=True,
        urgency="加急",
        title="象山县人民政府办公室关于商请支持政务数据共享工作的函",
        main_recipients="宁波市大数据发展管理局",
        body=(BodyBlock(0, paragraph(2, 3)), BodyBlock(0, "特此函商，请予支持。")),
        issuer_signature="象山县人民政府办公室",
        date=datetime.date(2026, 4, 2),
        seal_image=seal_png(),
        cc="象山县大数据发展中心",
    )


def with_attachments() -> RenderDocument:
    """A 通知 with two attachments printed after the body, and 抄送."""
    return RenderDocument(
        doc_type="通知",
        organ_mark="象山县人民政府办公室文件",
        doc_number="象政办发〔2026〕21号",
        title="象山县人民政府办公室关于印发数字政府建设两个实施方案的通知",
        main_recipients="各镇（乡）人民政府、街道办事处，县政府各部门",
        body=(BodyBlock(0, "现将两个实施方案印发给你们，请认真贯彻执行。"),),
        attachment_notes=("象山县政务服务一网通办实施方案", "象山县政务数据共享实施方案"),
        attachments=(
            Attachment(
                "象山县政务服务一网通办实施方案",
                (BodyBlock(1, "一、工作目标"), BodyBlock(0, paragraph(0, 4))),
            ),
            Attachment("象山县政务数据共享实施方案", (BodyBlock(1, "一、共享范围"), BodyBlock(0, paragraph(2, 4)))),
        ),
        issuer_signature="象山县人民政府办公室",
        date=datetime.date(2026, 5, 6),
        seal_image=seal_png(),
        cc="县委办公室，县人大常委会办公室，县政协办公室",
        printer="象山县人民政府办公室",
        print_date=datetime.date(2026, 5, 7),
    )


DOCUMENTS: dict[str, Callable[[], RenderDocument]] = {
    "opinion": opinion,
    "notice": notice,
    "request": request,
    "letter": letter,
    "attachments": with_attachments,
}


def seal_png() -> bytes:
    """A round red seal with a star, drawn with Pillow (4 px per mm, transparent outside the ring)."""
    size = 168
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (230, 0, 18, 235)
    draw.ellipse((4, 4, size - 4, size - 4), outline=red, width=7)
    centre, outer, inner = size / 2, 26.0, 10.0
    points = [
        (
            centre + (outer if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
            centre - (outer if k % 2 == 0 else inner) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    draw.polygon(points, fill=red)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
