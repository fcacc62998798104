from __future__ import annotations

import logging

from xindai.core.masking import MaskPIIFilter, mask_account, mask_id_number, mask_phone, mask_text


def test_id_number_keeps_region_and_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_phone_keeps_first_three_and_last_four() -> None:
    assert mask_phone("13912345678") == "139****5678"


def test_account_keeps_first_and_last_four() -> None:
    assert mask_account("6217 0012 3456 7890 123") == "6217 **** 0123"


def test_short_or_empty_values_are_hidden_or_blank() -> None:
    assert (mask_phone(""), mask_phone(None), mask_id_number("1234")) == ("", "", "****")


def test_free_text_is_masked() -> None:
    text = "客户 11010519491231002X 电话 13912345678 卡号 6217001234567890123"
    assert mask_text(text) == "客户 110105********002X 电话 139****5678 卡号 6217 **** 0123"


def test_log_records_are_masked(caplog) -> None:
    logger = logging.getLogger("xindai.test")
    logger.addFilter(MaskPIIFilter())
    with caplog.at_level(logging.WARNING, logger="xindai.test"):
        logger.warning("查询客户 %s", "11010519491231002X")
    assert "11010519491231002X" not in caplog.text and "110105********002X" in caplog.text
