"""Model metrics, customer grades and plain-Chinese reasons: pure numpy, no framework.

Conventions: ``y`` is 1 for the event (borrowed, defaulted), ``s`` a score where higher means
more likely to be an event. Scorecard points run the other way (higher points, lower risk).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.ArrayLike

# ---- ranking metrics ------------------------------------------------------------------------


def _ranked(y: Array, s: Array) -> tuple[np.ndarray, np.ndarray]:
    y_, s_ = np.asarray(y, dtype=float).ravel(), np.asarray(s, dtype=float).ravel()
    if y_.shape != s_.shape:
        raise ValueError("y and s differ in length")
    return y_, s_


def auc(y: Array, s: Array) -> float:
    """Area under the ROC curve by the rank-sum (Mann-Whitney) formula, ties counted half."""
    y_, s_ = _ranked(y, s)
    positives = int(y_.sum())
    negatives = len(y_) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(s_, kind="mergesort")
    ranks = np.empty(len(s_))
    sorted_s = s_[order]
    # average rank of every run of tied scores
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], len(s_)]
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    rank_sum = ranks[y_ == 1].sum()
    return float((rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives))


def gini(y: Array, s: Array) -> float:
    return 2.0 * auc(y, s) - 1.0


def ks(y: Array, s: Array) -> float:
    """Kolmogorov-Smirnov statistic: the largest gap between the cumulative shares of events
    and non-events, cutting between distinct scores."""
    y_, s_ = _ranked(y, s)
    positives = y_.sum()
    negatives = len(y_) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(-s_, kind="mergesort")
    y_sorted, s_sorted = y_[order], s_[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s_sorted) - 1]
    tpr = np.cumsum(y_sorted)[last_of_tie] / positives
    fpr = np.cumsum(1 - y_sorted)[last_of_tie] / negatives
    return float(np.max(np.abs(tpr - fpr)))


def capture_at(y: Array, s: Array, share: float) -> float:
    """Share of all events found among the top ``share`` of rows by score (ties broken by
    row order, as a list cut at a row count would be)."""
    y_, s_ = _ranked(y, s)
    total = y_.sum()
    if total == 0:
        return float("nan")
    top = round(share * len(y_))
    order = np.argsort(-s_, kind="mergesort")
    return float(y_[order[:top]].sum() / total)


def gains_curve(y: Array, s: Array, points: int = 20) -> list[list[float]]:
    """Cumulative capture at ``points`` equally spaced shares: [[0, 0], [0.05, c], ..., [1, 1]]."""
    steps = [i / points for i in range(points + 1)]
    return [[round(share, 4), 0.0 if share == 0 else capture_at(y, s, share)] for share in steps]


# ---- population stability -------------------------------------------------------------------


EDGE_TOLERANCE = 1e-9  # relative; see shares


def bin_edges(values: Array, bins: int = 10) -> np.ndarray:
    """Inner cut points at the deciles (or ``bins`` quantiles) of the baseline, duplicates
    dropped; the outer bins are open, so every later value falls in some bin."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.array([], dtype=float)
    cuts = np.quantile(v, np.linspace(0, 1, bins + 1)[1:-1])
    return np.unique(cuts)


def shares(values: Array, edges: Array) -> np.ndarray:
    """Share of values in each of the len(edges) + 1 bins (x < e0, e0 <= x < e1, ..., x >= en);
    missing values are left out."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    e = np.asarray(edges, dtype=float)
    # A value within rounding noise of a cut counts as on it: sums recomputed in another order
    # (parallel aggregation) must not move a customer sitting on a cut to the bin below.
    e = e - EDGE_TOLERANCE * np.maximum(1.0, np.abs(e))
    counts = np.bincount(np.searchsorted(e, v, side="right"), minlength=len(e) + 1)
    return counts / max(len(v), 1)


PSI_FLOOR = 1e-4  # an empty bin counts as 0.01 % so that the logarithm stays finite


def psi(expected: Array, actual: Array) -> float:
    """Population stability index: sum((a - e) * ln(a / e)). Read as < 0.1 stable,
    0.1-0.25 some shift, > 0.25 drift."""
    e = np.clip(np.asarray(expected, dtype=float), PSI_FLOOR, None)
    a = np.clip(np.asarray(actual, dtype=float), PSI_FLOOR, None)
    return float(np.sum((a - e) * np.log(a / e)))


# ---- grades ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeCuts:
    """Where the grades split. Defaults: propensity 20 % / 10 % (a customer likely to borrow
    is one the model gives a 1-in-5 chance within the horizon); points 600 = the scorecard's
    base, odds 50:1 good:bad (PD about 2 %); 560 = odds 12.5:1 (PD about 7.4 %), below which
    the customer is not marketed. ``train_grade_cuts`` derives them from a scored population."""

    high_propensity: float = 0.20
    mid_propensity: float = 0.10
    good_points: int = 600
    low_points: int = 560


def train_grade_cuts(
    propensity: Array, points: Array, *, top: float = 0.20, mid: float = 0.50, low: float = 0.10
) -> GradeCuts:
    """Cuts at quantiles of a scored population: high propensity = the value reached by the
    top ``top`` share, mid = by the top ``mid`` share; good points = the median, low points =
    the value under which the bottom ``low`` share lies."""
    p = np.asarray(propensity, dtype=float)
    q = np.asarray(points, dtype=float)
    return GradeCuts(
        high_propensity=float(np.quantile(p, 1 - top)),
        mid_propensity=float(np.quantile(p, 1 - mid)),
        good_points=int(np.ceil(np.quantile(q, 0.5))),
        low_points=int(np.floor(np.quantile(q, low))),
    )


def grades(
    propensity: Array, points: Array, cuts: GradeCuts, defaulted: Array | None = None
) -> np.ndarray:
    """A: likely to borrow and low risk (visit first); B: likely with middling risk, or
    fairly likely and low risk; C: the rest (keep in touch); D: high risk or defaulted."""
    p = np.asarray(propensity, dtype=float)
    q = np.asarray(points, dtype=float)
    high, mid = p >= cuts.high_propensity, p >= cuts.mid_propensity
    good, risky = q >= cuts.good_points, q < cuts.low_points
    if defaulted is not None:
        risky = risky | np.asarray(defaulted, dtype=bool)
    return np.select(
        [risky, high & good, (high & ~good) | (mid & good)], ["D", "A", "B"], default="C"
    )


def grade(
    propensity: float, points: float, cuts: GradeCuts | None = None, defaulted: bool = False
) -> str:
    return str(grades([propensity], [points], cuts or GradeCuts(), [defaulted])[0])


# ---- reasons in plain Chinese ---------------------------------------------------------------
# direction: +1 the fact raises the score it explains (more likely to borrow, more points),
# -1 it lowers it. Every template names the value, so the customer manager can check it.


def _amount(yuan: float) -> str:
    if abs(yuan) >= 10_000:
        return f"{yuan / 10_000:.1f} 万元"
    return f"{yuan:.0f} 元"


def _count(template: str) -> Callable[[float, int], str]:
    return lambda v, d: template.format(n=f"{v:.0f}")


def _money(template: str) -> Callable[[float, int], str]:
    return lambda v, d: template.format(amount=_amount(v))


def _flag(yes: str, no: str) -> Callable[[float, int], str]:
    return lambda v, d: yes if v >= 0.5 else no


def _qualified(template: str, up: str, down: str) -> Callable[[float, int], str]:
    return lambda v, d: template.format(n=f"{v:.0f}") + (up if d > 0 else down)


def _trend(v: float, d: int) -> str:
    change = round((v - 1.0) * 100)
    if change < 0:
        return f"存款余额近3个月较全年平均下降 {-change}%"
    if change > 0:
        return f"存款余额近3个月较全年平均上升 {change}%"
    return "存款余额近3个月与全年平均持平"


def _seasonality(v: float, d: int) -> str:
    return f"入账集中在少数月份（最高月为月均的 {v:.1f} 倍）" if v >= 2 else "入账分布较均衡"


def _since_loan(v: float, d: int) -> str:
    return "从未在本行贷款" if np.isnan(v) or v < 0 else f"距最近一笔贷款已 {v:.0f} 个月"


LIFE_STAGES = {0: "企业客户", 1: "30岁以下", 2: "30至44岁", 3: "45至59岁", 4: "60岁及以上"}

REASON_TEMPLATES: dict[str, Callable[[float, int], str]] = {
    "txn_count_90d": _qualified("近90天交易 {n} 笔", "，账户活跃", "，账户不活跃"),
    "txn_in_amount_90d": _money("近90天入账 {amount}"),
    "txn_out_amount_90d": _money("近90天出账 {amount}"),
    "days_since_last_txn": _count("距最近一笔交易已 {n} 天"),
    "active_months_12m": _count("近12个月有 {n} 个月有交易"),
    "avg_balance_3m": _money("近3个月日均存款 {amount}"),
    "avg_balance_12m": _money("近12个月日均存款 {amount}"),
    "balance_trend": _trend,
    "inflow_seasonality": _seasonality,
    "payroll_months_12m": _count("近12个月有 {n} 个月代发工资入账"),
    "subsidy_count_12m": _count("近12个月收到补贴 {n} 笔"),
    "remittance_in_12m": _money("近12个月收到汇款 {amount}"),
    "pos_count_90d": _count("近90天POS消费 {n} 笔"),
    "n_products": _count("在本行持有 {n} 种产品"),
    "has_mobile_banking": _flag("已开通手机银行", "未开通手机银行"),
    "has_card": _flag("持有本行银行卡", "未持有本行银行卡"),
    "has_payroll": _flag("是本行代发工资客户", "不是本行代发工资客户"),
    "has_insurance": _flag("在本行购买了代理保险", "未在本行购买代理保险"),
    "has_credit_line": _flag("已有授信额度", "尚无授信额度"),
    "n_loans": _count("在本行有过 {n} 笔贷款"),
    "loans_settled": _count("已结清贷款 {n} 笔"),
    "prepaid_loans": _count("提前还款 {n} 笔"),
    "loan_balance_proxy": _money("当前在贷金额 {amount}"),
    "ever_overdue": _flag("曾有贷款逾期记录", "无贷款逾期记录"),
    "ever_defaulted": _flag("曾有贷款违约记录", "无贷款违约记录"),
    "months_since_last_loan": _since_loan,
    "age": _count("年龄 {n} 岁"),
    "life_stage": lambda v, d: f"人生阶段：{LIFE_STAGES.get(int(v), '未知')}",
    "tenure_years": _count("在本行开户 {n} 年"),
    "archive_completeness": lambda v, d: f"客户档案完整度 {v * 100:.0f}%",
    "is_farmer": _flag("农户", "非农户"),
    "is_business": _flag("个体工商户", "非个体工商户"),
}


def reason_text(feature: str, value: float, direction: int, label: str = "") -> str:
    """The fact behind a reason, in plain Chinese, with its value. ``label`` (the feature's
    Chinese name) is used when the value is missing or the feature has no template."""
    template = REASON_TEMPLATES.get(feature)
    if value is None or np.isnan(value):
        if feature == "months_since_last_loan":
            return _since_loan(float("nan"), direction)
        return f"{label or feature}：无数据"
    if template is None:
        return f"{label or feature}：{value:g}"
    return template(float(value), direction)
