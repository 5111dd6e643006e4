"""The export refuses, before writing anything, batches whose records contradict themselves."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from archive.export import ExportBatch, InvalidExportBatch, Retention


def test_a_well_formed_batch_totals_its_items_and_bytes(batch: ExportBatch) -> None:
    assert batch.item_count == 3
    assert batch.total_bytes == sum(item.package_path.stat().st_size for item in batch.items)
    assert batch.identifier == "Z109-2025-transfer-20260115T013000Z"


def test_the_package_file_is_named_after_the_archival_code(make_item: Callable[..., object]) -> None:
    item = make_item(7, retention=Retention.THIRTY_YEARS)
    assert item.package_file_name == "Z109-WS·2025-D30-BGS-0007.eep"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("archival_code", "Z109-WS-2025-Y-BGS-0001", "格式"),
        ("archival_code", "Z109-WS·2025-Y-../x-0001", "格式"),
        ("archival_code", "Z109-WS·2025-Y-B%G-0001", "格式"),
        ("year", 2024, "年度"),
        ("item_number", 2, "件号"),
        ("retention", Retention.TEN_YEARS, "保管期限"),
        ("unit_code", "ZZB", "机构代码"),
        ("title", "  ", "题名"),
        ("responsible", "县政府\n办公室", "控制字符"),
        ("title", " 关于印发通知", "首尾不能有空白"),
        ("title", "长" * 1001, "超过 1000 个字符"),
        ("page_count", 0, "页数"),
        ("package_sha256", "ABC", "SHA-256"),
    ],
)
def test_an_item_whose_fields_contradict_its_archival_code_or_rules_is_refused(
    make_item: Callable[..., object], field: str, value: object, complaint: str
) -> None:
    item = make_item(1)
    with pytest.raises(InvalidExportBatch, match=complaint):
        dataclasses.replace(item, **{field: value})  # type: ignore[type-var]


def test_a_batch_refuses_an_item_of_another_year(
    make_item: Callable[..., object], batch_from: Callable[..., ExportBatch]
) -> None:
    with pytest.raises(InvalidExportBatch, match="2024 年度"):
        batch_from([make_item(1, year=2024)], year=2025)


def test_a_batch_refuses_the_same_archival_code_twice(
    make_item: Callable[..., object], batch_from: Callable[..., ExportBatch]
) -> None:
    item = make_item(1)
    with pytest.raises(InvalidExportBatch, match="重复"):
        batch_from([item, item])


def test_a_batch_refuses_to_be_empty(batch_from: Callable[..., ExportBatch]) -> None:
    with pytest.raises(InvalidExportBatch, match="没有可移交的条目"):
        batch_from([])


def test_a_batch_needs_a_timezone_on_its_creation_time(batch: ExportBatch) -> None:
    with pytest.raises(InvalidExportBatch, match="时区"):
        dataclasses.replace(batch, created_at=dt.datetime(2026, 1, 15, 9, 30))


def test_a_batch_refuses_items_of_another_fonds(batch: ExportBatch) -> None:
    with pytest.raises(InvalidExportBatch, match="不属于全宗"):
        dataclasses.replace(batch, fonds_code="Z110")
