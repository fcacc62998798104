"""The ratios of a real listed company: 贵州茅台 (600519), 2023 年年度报告, consolidated
statements. The figures used, with their pages and the mapping onto Xindai's items, are in
tests/analysis/moutai.py.

Honesty about the expected values: they are not copied from the report. Its 主要财务指标 do
not list a 资产负债率, 流动比率 or 速动比率 (issuers print those in the bond section; Moutai has
issued no bonds), so the values below are worked out by hand from the cited statement items,
with the arithmetic in each comment, and rounded half-up as Xindai shows them.

The one ratio of these that the report does print, 加权平均净资产收益率 34.19 % (第二节 七、
(二) 主要财务指标), is the parent's net profit over the weighted average of
the parent's equity (证监会 《公开发行证券的公司信息披露编报规则第 9 号》); Xindai's 净资产收益率
is net profit over average total equity, so it is different by definition (36.17 %, below).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.analysis import moutai
from xindai.analysis import ratios, schema

D = Decimal


@pytest.fixture
def analysis() -> ratios.Analysis:
    request = schema.parse_request(moutai.statements_file())
    return ratios.analyse(request.periods)


def ratio(analysis: ratios.Analysis, key: str) -> Decimal | None:
    return analysis.periods[-1].ratio(key).value


def test_the_mapped_items_add_up_to_the_printed_totals(analysis: ratios.Analysis) -> None:
    """The checks find every subtotal of both balance sheets equal to the printed one, and
    assets = liabilities + equity; what remains are the two lines of 《企业会计准则》 that the
    small-enterprise statements do not have."""
    assert analysis.periods[0].problems == ()
    found = {p.field: p.params["difference"] for p in analysis.periods[1].problems}
    assert found == {
        # 223,656,469,294.82 − (1,256,197,800.00 + 1,374,964,415.72 + 38,998,763,095.13
        #   + 172,983,178,300.09) = 9,043,365,683.88
        # = 少数股东权益 7,987,897,687.39 + 一般风险准备 1,061,529,724.00 + 其他综合收益
        #   −6,061,727.51
        "balance_sheet.total_equity": "9,043,365,683.88",
        # 103,708,655,208.38 − (147,693,604,994.14 − 11,867,273,851.78 − 22,234,175,898.60
        #   − 4,648,613,585.82 − 9,729,389,252.31 + 1,789,503,701.48) = 2,704,999,101.27
        # = 利息收入 2,866,725,322.31 − 利息支出 113,500,129.93 − 手续费及佣金支出 68,578.57
        #   − 研发费用 157,371,873.01 + 其他收益 34,644,873.86 + 投资收益 34,025,967.82
        #   + 公允价值变动收益 3,151,962.50 + 信用减值损失 37,871,293.26
        #   + 资产处置收益 −479,736.97 (合并利润表 p.63–64)
        "income_statement.operating_profit": "2,704,999,101.27",
    }


def test_solvency_ratios(analysis: ratios.Analysis) -> None:
    # 资产负债率 49,043,190,797.43 ÷ 272,699,660,092.25 = 0.179843… → 17.98 %
    assert ratio(analysis, "asset_liability_ratio") == D("17.98")
    # 流动比率 225,172,517,821.28 ÷ 48,697,611,501.20 = 4.62389… → 4.62
    assert ratio(analysis, "current_ratio") == D("4.62")
    # 速动比率 (225,172,517,821.28 − 46,435,185,061.53) ÷ 48,697,611,501.20
    #        = 178,737,332,759.75 ÷ 48,697,611,501.20 = 3.67035… → 3.67
    assert ratio(analysis, "quick_ratio") == D("3.67")
    assert ratio(analysis, "owners_equity") == D("223656469294.82")


def test_profitability_ratios(analysis: ratios.Analysis) -> None:
    # 毛利率 (147,693,604,994.14 − 11,867,273,851.78) ÷ 147,693,604,994.14
    #       = 135,826,331,142.36 ÷ 147,693,604,994.14 = 0.919649… → 91.96 %
    assert ratio(analysis, "gross_margin") == D("91.96")
    # 销售利润率 103,708,655,208.38 ÷ 147,693,604,994.14 = 0.702190… → 70.22 %
    assert ratio(analysis, "sales_margin") == D("70.22")
    # 总资产收益率 77,521,476,277.80 ÷ ((272,699,660,092.25 + 254,500,826,096.02) ÷ 2)
    #            = 77,521,476,277.80 ÷ 263,600,243,094.135 = 0.294087… → 29.41 %
    assert ratio(analysis, "return_on_assets") == D("29.41")
    # 净资产收益率 77,521,476,277.80 ÷ ((223,656,469,294.82 + 204,938,081,263.86) ÷ 2)
    #            = 77,521,476,277.80 ÷ 214,297,275,279.34 = 0.361747… → 36.17 %
    assert ratio(analysis, "return_on_equity") == D("36.17")
    # 成本费用总额 11,867,273,851.78 + 22,234,175,898.60 + 4,648,613,585.82
    #            + 9,729,389,252.31 − 1,789,503,701.48 = 46,689,948,887.03
    assert ratio(analysis, "expenses") == D("46689948887.03")
    assert ratio(analysis, "net_profit") == D("77521476277.80")


def test_turnover_ratios_use_the_average_of_the_two_year_ends(analysis: ratios.Analysis) -> None:
    # 平均存货 (46,435,185,061.53 + 38,824,374,236.24) ÷ 2 = 42,629,779,648.885
    # 存货周转率 11,867,273,851.78 ÷ 42,629,779,648.885 = 0.27838… → 0.28 次 (基酒 ages years)
    assert ratio(analysis, "inventory_turnover") == D("0.28")
    # 存货周转天数 360 × 42,629,779,648.885 ÷ 11,867,273,851.78 = 1,293.20…
    assert ratio(analysis, "inventory_days") == D("1293.20")
    # 平均应收账款 (60,373,410.41 + 20,937,144.00) ÷ 2 = 40,655,277.205
    # 应收账款周转天数 360 × 40,655,277.205 ÷ 147,693,604,994.14 = 0.0991 → 0.10
    assert ratio(analysis, "receivable_days") == D("0.10")
    # 应付账款周转天数 360 × ((3,093,091,103.67 + 2,408,371,053.69) ÷ 2) ÷ 11,867,273,851.78
    #                = 360 × 2,750,731,078.68 ÷ 11,867,273,851.78 = 83.44…
    assert ratio(analysis, "payable_days") == D("83.44")
    assert analysis.periods[-1].ratio("inventory_days").notes == ()


def test_interest_coverage_is_not_computable_since_the_report_prints_no_interest_expense(
    analysis: ratios.Analysis,
) -> None:
    coverage = analysis.periods[-1].ratio("interest_coverage")
    assert coverage.value is None
    assert coverage.reason is not None and coverage.reason.text() == "缺少“利息费用”，无法计算"


def test_the_flags_find_moutai_within_the_default_bounds(analysis: ratios.Analysis) -> None:
    statuses = {flag.ratio: flag.status.value for flag in analysis.periods[-1].flags}
    assert statuses == {"asset_liability_ratio": "ok", "current_ratio": "ok", "quick_ratio": "ok"}
