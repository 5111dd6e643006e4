"""档号 parsing, 件号 gaps and assignment (DA/T 22-2015)."""

from __future__ import annotations

import pytest

from archive.checks.archival_code import (
    ArchivalClass,
    ArchivalCodeError,
    RetentionPeriod,
    assign_archival_code,
    item_number_gaps,
    parse_archival_code,
)

OFFICE_2026 = ArchivalClass("Z109", "WS", 2026, RetentionPeriod.PERMANENT, "BGS")


def test_the_domain_example_parses_into_its_parts() -> None:
    code = parse_archival_code("Z109-WS·2011-Y-BGS-0001")
    assert code.archival_class == ArchivalClass("Z109", "WS", 2011, RetentionPeriod.PERMANENT, "BGS")
    assert code.item == 1
    assert str(code) == "Z109-WS·2011-Y-BGS-0001"


@pytest.mark.parametrize(
    "text",
    [
        "Z109-WS-2011-Y-BGS-0001",  # hyphen instead of the middle dot before the year
        "Z10-WS·2011-Y-BGS-0001",  # 全宗号 not 4 characters
        "Z109-WS·2011-D20-BGS-0001",  # no such retention period
        "Z109-WS·2011-Y-BGS-001",  # 件号 not 4 digits
        "Z109-WS·2011-Y-BGS-0000",  # 件号 starts at 0001
        "Z109-WS·11-Y-BGS-0001",  # 2-digit year
    ],
)
def test_malformed_archival_codes_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ArchivalCodeError, match="档号"):
        parse_archival_code(text)


def test_first_code_of_an_empty_class_is_0001() -> None:
    assert str(assign_archival_code(OFFICE_2026, [])) == "Z109-WS·2026-Y-BGS-0001"


def test_assignment_continues_only_within_its_own_class() -> None:
    used = [
        "Z109-WS·2026-Y-BGS-0001",
        "Z109-WS·2026-Y-BGS-0002",
        "Z109-WS·2026-D30-BGS-0007",
        "Z109-WS·2025-Y-BGS-0009",
    ]
    assert str(assign_archival_code(OFFICE_2026, used)) == "Z109-WS·2026-Y-BGS-0003"


def test_assignment_fills_the_lowest_gap_first() -> None:
    used = ["Z109-WS·2026-Y-BGS-0001", "Z109-WS·2026-Y-BGS-0003"]
    assert assign_archival_code(OFFICE_2026, used).item == 2


def test_a_full_class_is_refused() -> None:
    used = [f"Z109-WS·2026-Y-BGS-{number:04d}" for number in range(1, 10000)]
    with pytest.raises(ArchivalCodeError, match="件号已用完"):
        assign_archival_code(OFFICE_2026, used)


def test_gaps_are_reported_per_class() -> None:
    gaps = item_number_gaps(["Z109-WS·2026-Y-BGS-0001", "Z109-WS·2026-Y-BGS-0004", "Z109-WS·2026-D10-BGS-0001"])
    assert gaps == {OFFICE_2026: [2, 3]}


@pytest.mark.parametrize("count", [1, 2, 5, 40])
def test_repeated_assignment_yields_a_continuous_sequence(count: int) -> None:
    used: list[str] = []
    for _ in range(count):
        used.append(str(assign_archival_code(OFFICE_2026, used)))
    assert item_number_gaps(used) == {}
    assert used[-1].endswith(f"-{count:04d}")
