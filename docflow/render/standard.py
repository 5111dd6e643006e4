"""The dimensions of GB/T 9704-2012 (党政机关公文格式) used by the layout, in millimetres.

Only numbers live here so that a reader can check them against the standard in one place. Where the
standard leaves a value open (the size of the 发文机关标志, the thickness of the red separator, the
seal's size) the value chosen is marked "(our choice)".
"""

from typing import Final

MM_PER_PT: Final = 25.4 / 72

PAGE_WIDTH: Final = 210.0
PAGE_HEIGHT: Final = 297.0

# 版心: 156 mm x 225 mm; 天头 37 mm, 订口 28 mm (§5.2.1).
BLOCK_LEFT: Final = 28.0
BLOCK_TOP: Final = 37.0
BLOCK_WIDTH: Final = 156.0
BLOCK_HEIGHT: Final = 225.0
BLOCK_RIGHT: Final = BLOCK_LEFT + BLOCK_WIDTH
BLOCK_BOTTOM: Final = BLOCK_TOP + BLOCK_HEIGHT

# 22 lines of 28 characters of 3号 type (§5.2.2): the grid every body line snaps to.
LINES_PER_PAGE: Final = 22
CHARS_PER_LINE: Final = 28
LINE_PITCH: Final = BLOCK_HEIGHT / LINES_PER_PAGE
CHAR_PITCH: Final = BLOCK_WIDTH / CHARS_PER_LINE

# Type sizes (号) in points.
SIZE_2HAO: Final = 22.0
SIZE_3HAO: Final = 16.0
SIZE_4HAO: Final = 14.0

# The ideographic em box of a CJK font reaches this far below the baseline (in em); fonts-noto-cjk, AR PL UKai
# and WenQuanYi all use 0.12. Used to centre characters in their grid cell and to find a line's lower edge.
EM_BOX_DESCENT: Final = 0.12

# 版头 (§7.2): the top of the 发文机关标志 is 35 mm below the top of the text block; the red line is
# 4 mm under the 发文字号.
MARK_TOP_BELOW_BLOCK: Final = 35.0
MARK_SIZE: Final = 15.0  # em size of the mark in mm (our choice; the standard leaves it to the organ)
MARK_MAX_WIDTH: Final = BLOCK_WIDTH
MARK_MIN_SCALE: Final = 0.5  # narrower than half width the mark is no longer legible (our choice)
RED_LINE_GAP: Final = 4.0
RED_LINE_THICKNESS: Final = 0.5  # (our choice)

# 信函格式 (§10.1): mark 30 mm below the page's top edge, double lines 170 mm long, 4 mm under the mark and
# 20 mm above the page's bottom edge.
LETTER_MARK_TOP: Final = 30.0
LETTER_LINE_LENGTH: Final = 170.0
LETTER_LINE_GAP: Final = 4.0
LETTER_FOOT_LINE_ABOVE_BOTTOM: Final = 20.0
LETTER_THICK: Final = 0.8  # (our choice)
LETTER_THIN: Final = 0.3  # (our choice)
LETTER_DOUBLE_GAP: Final = 0.8  # space between the two strokes of a double line (our choice)

# 版记 separators (§7.4.1): the first and last lines thick 0.35 mm, the ones between thin 0.25 mm.
IMPRINT_THICK: Final = 0.35
IMPRINT_THIN: Final = 0.25

# 页码 (§7.5): 4号, the 一字线 7 mm below the text block, one character in from the block's edge.
PAGE_NUMBER_BELOW_BLOCK: Final = 7.0

SEAL_DIAMETER: Final = 42.0  # (our choice: a county government seal is 42 mm)

RED: Final = "#E60012"  # 大红, CMYK 0/100/100/0 as printers render it in sRGB
WATERMARK_GREY: Final = "#D9D9D9"


def pt(points: float) -> float:
    """Millimetres of ``points`` typographic points."""
    return points * MM_PER_PT
