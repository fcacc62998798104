"""贵州茅台酒股份有限公司 (Kweichow Moutai, 600519) — 2023 年年度报告, 第十节 财务报告:
合并资产负债表 (p.58–61, columns 2023年12月31日 and 2022年12月31日) and 合并利润表 (p.63–64,
2023年度), in yuan as printed. The 2022 column is the restated one of the 2023 report.

The report follows 《企业会计准则》, with more lines than the small-enterprise statements of
Xindai. The mapping is written out item by item; the lines without a place of their own are
summed into the "其他" items, so every subtotal still equals the printed one:

资产 2023-12-31
  货币资金 69,070,136,376.12 · 交易性金融资产 → 短期投资 400,712,059.93 · 应收票据 13,933,440.00
  应收账款 60,373,410.41 · 预付款项 34,585,111.79 · 其他应收款 27,502,107.30
  存货 46,435,185,061.53
  其他流动资产 = 拆出资金 105,553,836,462.58 + 买入返售金融资产 3,504,849,885.05
                 + 其他流动资产 71,403,906.57 = 109,130,090,254.20
  流动资产合计 225,172,517,821.28 (printed; the lines above add up to it)
  固定资产 19,909,280,655.97 · 在建工程 2,137,464,700.45 · 无形资产 8,572,267,313.84
  其他非流动资产 = 发放贷款和垫款 2,130,818,189.27 + 债权投资 5,323,002,071.02
                   + 其他非流动金融资产 4,002,439,902.57 + 投资性房地产 4,138,545.33
                   + 使用权资产 314,205,484.56 + 开发支出 218,015,555.49
                   + 长期待摊费用 160,058,930.14 + 递延所得税资产 4,645,887,425.10
                   + 其他非流动资产 109,563,497.23 = 16,908,129,600.71
  资产总计 272,699,660,092.25 (= 225,172,517,821.28 + 非流动资产合计 47,527,142,270.97)
负债 2023-12-31
  应付账款 3,093,091,103.67 · 合同负债 → 预收账款 14,125,755,802.29
  应付职工薪酬 5,401,921,213.77 · 应交税费 6,949,663,893.87 · 其他应付款 5,213,133,685.87
  其他流动负债 = 吸收存款及同业存放 12,034,492,909.95 + 一年内到期的非流动负债 57,054,879.48
                 + 其他流动负债 1,822,498,012.30 = 13,914,045,801.73
  流动负债合计 48,697,611,501.20
  其他非流动负债 = 租赁负债 266,636,234.04 + 递延所得税负债 78,943,062.19 = 345,579,296.23
  负债合计 49,043,190,797.43
所有者权益 2023-12-31
  股本 1,256,197,800.00 · 资本公积 1,374,964,415.72 · 盈余公积 38,998,763,095.13
  未分配利润 172,983,178,300.09 · 所有者权益合计 223,656,469,294.82, which also holds 其他综合
  收益 −6,061,727.51, 一般风险准备 1,061,529,724.00 and 少数股东权益 7,987,897,687.39
  (together 9,043,365,683.88): lines the small-enterprise statement does not have.
2022-12-31 (the same mapping)
  货币资金 58,274,318,733.23 · 应收票据 105,453,212.00 · 应收账款 20,937,144.00
  预付款项 897,377,162.27 · 其他应收款 31,818,622.84 · 存货 38,824,374,236.24
  其他流动资产 = 拆出资金 116,172,711,554.59 + 一年内到期的非流动资产 2,123,601,333.33
                 + 其他流动资产 160,843,674.42 = 118,457,156,562.34
  流动资产合计 216,611,435,672.92 · 固定资产 19,742,622,547.86 · 在建工程 2,208,329,892.95
  无形资产 7,083,177,226.45
  其他非流动资产 = 发放贷款和垫款 4,134,744,407.92 + 债权投资 380,685,319.09
                   + 投资性房地产 5,335,046.99 + 使用权资产 402,551,533.46
                   + 开发支出 190,536,632.60 + 长期待摊费用 146,455,346.90
                   + 递延所得税资产 3,594,952,468.88 = 8,855,260,755.84
  资产总计 254,500,826,096.02
  应付账款 2,408,371,053.69 · 预收账款 (合同负债) 15,471,920,924.98
  应付职工薪酬 4,782,311,242.41 · 应交税费 6,896,555,423.83 · 其他应付款 4,543,842,833.87
  其他流动负债 = 12,874,043,355.42 + 109,351,155.28 + 1,979,272,808.90 = 14,962,667,319.60
  流动负债合计 49,065,668,798.38
  其他非流动负债 = 租赁负债 334,447,942.79 + 递延所得税负债 162,628,090.99 = 497,076,033.78
  负债合计 49,562,744,832.16 · 所有者权益合计 204,938,081,263.86
利润表 2023年度
  营业收入 147,693,604,994.14 (the 营业总收入 150,560,330,316.45 adds the finance
  subsidiary's 利息收入) · 营业成本 11,867,273,851.78 · 税金及附加 22,234,175,898.60
  销售费用 4,648,613,585.82 · 管理费用 9,729,389,252.31 · 财务费用 −1,789,503,701.48
  营业利润 103,708,655,208.38 · 营业外收入 86,779,655.95 · 营业外支出 132,881,174.52
  利润总额 103,662,553,689.81 · 所得税费用 26,141,077,412.01 · 净利润 77,521,476,277.80
  经营活动产生的现金流量净额 66,593,247,721.09
  The report does not print 利息费用 on the face of the statement: it is left out.
"""

from __future__ import annotations

from typing import Any

BALANCE_2023 = {
    "cash": "69070136376.12",
    "short_term_investments": "400712059.93",
    "notes_receivable": "13933440.00",
    "accounts_receivable": "60373410.41",
    "prepayments": "34585111.79",
    "other_receivables": "27502107.30",
    "inventory": "46435185061.53",
    "other_current_assets": "109130090254.20",
    "total_current_assets": "225172517821.28",
    "long_term_equity_investments": "0",
    "fixed_assets": "19909280655.97",
    "construction_in_progress": "2137464700.45",
    "intangible_assets": "8572267313.84",
    "other_non_current_assets": "16908129600.71",
    "total_assets": "272699660092.25",
    "short_term_loans": "0",
    "notes_payable": "0",
    "accounts_payable": "3093091103.67",
    "advances_from_customers": "14125755802.29",
    "payroll_payable": "5401921213.77",
    "taxes_payable": "6949663893.87",
    "other_payables": "5213133685.87",
    "other_current_liabilities": "13914045801.73",
    "total_current_liabilities": "48697611501.20",
    "long_term_loans": "0",
    "long_term_payables": "0",
    "other_non_current_liabilities": "345579296.23",
    "total_liabilities": "49043190797.43",
    "paid_in_capital": "1256197800.00",
    "capital_reserve": "1374964415.72",
    "surplus_reserve": "38998763095.13",
    "retained_earnings": "172983178300.09",
    "total_equity": "223656469294.82",
    "total_liabilities_and_equity": "272699660092.25",
}

BALANCE_2022 = {
    "cash": "58274318733.23",
    "short_term_investments": "0",
    "notes_receivable": "105453212.00",
    "accounts_receivable": "20937144.00",
    "prepayments": "897377162.27",
    "other_receivables": "31818622.84",
    "inventory": "38824374236.24",
    "other_current_assets": "118457156562.34",
    "total_current_assets": "216611435672.92",
    "long_term_equity_investments": "0",
    "fixed_assets": "19742622547.86",
    "construction_in_progress": "2208329892.95",
    "intangible_assets": "7083177226.45",
    "other_non_current_assets": "8855260755.84",
    "total_assets": "254500826096.02",
    "short_term_loans": "0",
    "notes_payable": "0",
    "accounts_payable": "2408371053.69",
    "advances_from_customers": "15471920924.98",
    "payroll_payable": "4782311242.41",
    "taxes_payable": "6896555423.83",
    "other_payables": "4543842833.87",
    "other_current_liabilities": "14962667319.60",
    "total_current_liabilities": "49065668798.38",
    "long_term_loans": "0",
    "long_term_payables": "0",
    "other_non_current_liabilities": "497076033.78",
    "total_liabilities": "49562744832.16",
    "total_equity": "204938081263.86",
    "total_liabilities_and_equity": "254500826096.02",
}

INCOME_2023 = {
    "revenue": "147693604994.14",
    "cost_of_sales": "11867273851.78",
    "taxes_and_surcharges": "22234175898.60",
    "selling_expenses": "4648613585.82",
    "admin_expenses": "9729389252.31",
    "finance_costs": "-1789503701.48",
    "operating_profit": "103708655208.38",
    "non_operating_income": "86779655.95",
    "non_operating_expenses": "132881174.52",
    "total_profit": "103662553689.81",
    "income_tax": "26141077412.01",
    "net_profit": "77521476277.80",
}


def statements_file() -> dict[str, Any]:
    """The two year-ends as a statements file of ``xindai ratios`` (an industry: 1512 白酒)."""
    return {
        "industry_code": "1512",
        "periods": [
            {"end": "2022-12-31", "months": 12, "balance_sheet": dict(BALANCE_2022)},
            {
                "end": "2023-12-31",
                "months": 12,
                "balance_sheet": dict(BALANCE_2023),
                "income_statement": dict(INCOME_2023),
                "cash_flow": {"operating_net": "66593247721.09"},
            },
        ],
    }
