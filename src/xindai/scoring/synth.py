"""A synthetic rural bank: stock-customer tables for demos, tests and benchmarks.

THE DATA IS SYNTHETIC. Every name, id number, phone number, village and amount is drawn at
random; none belongs to a real person. Customers carry ``synthetic = True``. Resident id
numbers use the province-level area code 370000 (valid for the checks, never on a real card),
unified social credit codes (92 individual business, 91 enterprise) the fictional county
370999; both carry valid check characters. Phone numbers are random 11-digit mobile numbers.

``generate(households, seed)`` returns the five tables of the import schema (customers,
balances, transactions, loans, holdings) as pandas DataFrames: strings as ``string[pyarrow]``
(small vocabularies as ``category``), dates as ``date32[pyarrow]``, amounts as float64 yuan
rounded to 2 decimals. Everything is drawn with one ``numpy.random.Generator(PCG64(seed))``
in a fixed order, array at a time (no loop over transactions), so one seed gives one bank.
``households = 900_000`` gives about 1.0 million customers and about 20 million transactions
over the default 24 months.

Geography. A fictional county (区划 370999, 新岱县): townships of ~15 villages, ~300
households per village. Village code = county (6) + township (3) + village (3) = 12 digits,
village names like 杨家村 / 东王庄. Each township belongs to one org unit (each village when
there are more units than townships), so a village's customers share a branch.

Customers (kind):
  farmer      one per household (the head): age 25-80 (mean ~52), 80 % male, household size
              1-7 (mean ~3.3); farm type 45 % grain (industry A011, harvest sales Jun/Jul and
              Oct/Nov), 20 % fruit and vegetables (A014, Jul-Oct), 15 % livestock (A031, Dec-Jan
              before the Spring Festival), 20 % off-farm (no industry code, no harvest).
  business    9 % of households also run an individual business (个体工商户: shop, restaurant,
              farm supplies...; industry F52/H62/O80/C13), owner aged 25-65.
  enterprise  1.5 % of households: a small enterprise (企业) with no birth date.
  income (yuan a year, latent scale of all amounts): 38,000 / 120,000 / 1,500,000 by kind
  times lognormal(0, 0.5); declared_income = income x lognormal(0, 0.2) rounded to 100.
  opened_on: 85 % before the history window (since 2005), 15 % inside it.
  Optional fields (id_number, phone, birth_date/industry, village, household size, declared
  income, declared assets, address) are each missing with probability
  sigmoid(-2.2 + 1.0 * risk) (+0.5 on the logit for heads aged 65+): archive completeness falls
  with the latent risk. 2 % opt out of personalised marketing.

Latent traits (never written out): ``need`` ~ N(0, 1) (borrowing need) and ``risk`` ~ N(0, 1)
(credit risk), independent. They drive both the history (<= as_of) and the outcomes after it:
  balance trend   g = 0.05 + 0.35 need - 0.10 risk + N(0, 0.08) per year; the target balance
                  grows as exp(g t); monthly noise sigma = 0.05 + 0.20 sigmoid(1.5 risk - 1).
  farm size       harvest sales scale with exp(0.3 need); household size ~ 1 + Poisson(2.3
                  exp(0.2 need)) (max 7).
  spending        the outflow rate rises by exp(0.5 need) over the last 6 months before as_of.
  POS growth      businesses' POS count rate grows by exp((0.05 + 0.15 need) t) per year.
  archive gaps    see above.
  past loans      count ~ Poisson(exp(-1.5 + 0.5 need + k)) (max 3; k = 0 farmer, 0.3
                  business, 0.6 enterprise), opened over the 5 years before as_of; overdue
                  with p = sigmoid(-2.3 + 1.2 risk), of those defaulted with p = sigmoid(-1 +
                  0.8 risk); 25 % of the rest prepay; defaults more than 180 days old are
                  written off with p = 0.4.
  new loans       (history of loans runs to as_of + 365 days; transactions and balances stop
                  at as_of) logit p6 = a + 0.6 need + 0.5 [farmer aged 30-55] + 0.4 [seasonal
                  farm income] + 0.6 [repaid a past loan] - 0.5 [has a credit line]
                  + 4 g + 0.4 [POS growing] - 0.6 [aged 65+] - 0.3 [loan open on as_of], with a
                  solved so that the mean p6 is 20 %: the chance to open a loan within 180
                  days of as_of (the opening time is exponential; loans opened up to 365 days
                  after as_of are kept).
  defaults        a loan open on as_of or opened after it defaults (first_default_on = first
                  overdue + 90 days, both within as_of + 365) with logit = b + 1.8 risk + 0.5
                  [ever overdue] + 0.3 [aged 60+] - 0.3 [payroll]; b solved for a 5 % mean.

Transactions per customer and month (Poisson counts; amounts lognormal around the customer's
income scale; only in months after the customer opened):
  farmer      harvest sales (transfer, from enterprise 60 % / individual) 0.8 per harvest-month
              weight, 0.03 otherwise; agricultural subsidy (subsidy, government, counter) in
              April and November for 85 % of farming households; remittances (remittance,
              individual, mobile) 0.5 a month for the 35 % with migrant members, doubled in
              January/February; payroll (payroll, enterprise, online, on the 10th-15th) for
              the ~10 % of heads under 55 who work for a synthetic enterprise (the
              enterprise gets the matching payroll out); other inflows 0.05; outflows 0.22 a month.
  business    POS takings (pos, merchant, pos) ~ 1.3 a month (lognormal rate, Spring Festival
              +50 %); purchases and other outflows 0.7 a month.
  enterprise  receipts from customers (transfer, enterprise, online) ~ 3 a month; payroll out
              to each employee monthly; other outflows 1.5 a month.
  loans       disbursement (loan, bank, counter) on opened_on, interest (repayment, bank) on
              the 20th of each quarter-end month while open, principal on settled_on.
Loans: amount median 50,000 / 150,000 / 1,000,000 by kind x lognormal(0, 0.5), rounded to
1,000; term 1 / 2 / 3 years (p 0.5 / 0.35 / 0.15); products 农户小额信用贷款 (20 % of farm
loans 农户联保贷款), 个体工商户经营贷款, 小微企业流动资金贷款; 10 % of new loans prepay;
interest 5.5 % a year.
Dates later than as_of + 365 days are left empty (not yet known).
Outflows: each month the customer moves toward the target balance; the amount spent is split
over that month's outflow transactions (cash 45 % at counter/atm/agent, transfer 30 %
mobile/online, pos 15 % merchant, other 10 %); months with no outflow keep the money.

Balances: the target starts at income x U(0.5, 1.5); end_balance follows the flows exactly
(start + inflows - outflows, floored at 0); avg_balance = mean of the previous and current end
balance times N(1, 0.03).

Holdings (adoption by kind, with age for digital products): deposit (all), card (farmers 0.75,
0.5 at 65+; business 0.9; enterprise 0.6), mobile_banking and e_payment (0.85 under 40 falling
to 0.2 at 65+; business 0.9 / 0.85; enterprise 0.7 / 0.5), payroll (employees; enterprises
with employees), agency_insurance (0.15 / 0.2 / 0.25), wealth (0.03 + 0.12 by income rank),
credit_line (0.10 / 0.20 / 0.15), social_security_card (0.7 / 0.6 / none), loan (any loan
opened <= as_of; closed_on when all are settled <= as_of). 4 % of card and mobile-banking
holdings are closed. No holding date is after as_of.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TABLES = ("customers", "balances", "transactions", "loans", "holdings")
COUNTY_CODE = "370999"
COUNTY_NAME = "新岱县"
ID_AREA_CODE = "370000"  # province level: valid in checks, never on a real id card
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FARMER, BUSINESS, ENTERPRISE = 0, 1, 2
KINDS = ["farmer", "business", "enterprise"]
DIRECTIONS = ["in", "out"]
COUNTERPARTIES = ["individual", "enterprise", "government", "merchant", "bank"]
CHANNELS = ["counter", "atm", "mobile", "pos", "online", "agent"]
PURPOSES = [
    *("payroll", "subsidy", "pos", "remittance", "transfer"),
    *("loan", "repayment", "cash", "other"),
]
PRODUCTS = [
    "deposit",
    "card",
    "mobile_banking",
    "payroll",
    "agency_insurance",
    "wealth",
    "credit_line",
    "loan",
    "social_security_card",
    "e_payment",
]
# harvest-sale weight by calendar month (index 0 = January) for farm types 0-3
HARVEST = np.array(
    [
        [0, 0, 0, 0, 0, 1.0, 0.4, 0, 0, 1.0, 0.5, 0],  # grain: wheat Jun, maize Oct
        [0, 0, 0, 0, 0, 0, 0.6, 1.0, 1.0, 0.5, 0, 0],  # fruit and vegetables
        [1.0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0, 0, 0.7],  # livestock before the Spring Festival
        [0] * 12,  # off-farm
    ]
)
FARM_INDUSTRY = np.array(["A011", "A014", "A031", ""], dtype=object)
BUSINESS_TYPES = [("小卖部", "F52"), ("饭店", "H62"), ("农资店", "F52"), ("理发店", "O80")]
BUSINESS_TYPES += [("粮油加工坊", "C13"), ("超市", "F52")]
ENTERPRISE_TYPES = [("农产品", "C13"), ("农业科技", "A05"), ("商贸", "F51"), ("建筑工程", "E47")]
ENTERPRISE_TYPES += [("食品", "C14"), ("物流", "G54")]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红春海波宁新文斌")
TOWN_WORDS = list("东西南北安丰石柳新兴太平龙凤")
TOWN_ENDINGS = list("岱山河桥集庄店口坊埠营寨湖坡")
VILLAGE_SUFFIX = ["家村", "庄", "屯", "店", "营", "家洼", "楼", "寨"]
VILLAGE_PREFIX = ["", "东", "西", "南", "北", "前", "后", "大", "小"]
FIRM_WORDS = list("丰源鑫盛兴隆华泰恒康德瑞")
Step = Callable[[str], None]


@dataclass
class Calendar:
    """The history window: ``months`` whole or partial months ending in as_of's month."""

    as_of: int  # days since 1970-01-01
    starts: np.ndarray  # first day of each month (days since epoch)
    lengths: np.ndarray  # days of each month available (<= as_of)
    calendar_month: np.ndarray  # 0..11

    @classmethod
    def build(cls, as_of: date, months: int) -> Calendar:
        last = np.datetime64(as_of, "M")
        month = np.arange(last - months + 1, last + 1)
        starts = month.astype("datetime64[D]").astype(np.int64)
        ends = (month + 1).astype("datetime64[D]").astype(np.int64)
        day = _day(as_of)
        lengths = np.minimum(ends, day + 1) - starts
        return cls(day, starts, lengths, (month.astype(np.int64) % 12))

    @property
    def n(self) -> int:
        return len(self.starts)


@dataclass
class Population:
    kind: np.ndarray
    village: np.ndarray
    age: np.ndarray  # years on as_of (0 for enterprises)
    need: np.ndarray
    risk: np.ndarray
    income: np.ndarray  # yuan a year
    farm: np.ndarray  # 0-3, 3 also for non-farmers
    migrant: np.ndarray
    employer: np.ndarray  # index of the employing enterprise or -1
    employed_from: np.ndarray  # month index of the first payroll
    first_month: np.ndarray  # first history month with activity
    opened: np.ndarray  # days since epoch
    growth: np.ndarray
    pos_growth: np.ndarray
    credit_line: np.ndarray

    @property
    def n(self) -> int:
        return len(self.kind)


def generate(
    households: int,
    seed: int,
    *,
    as_of: date = date(2026, 10, 31),
    months: int = 24,
    org_codes: list[str] | None = None,
    on_step: Step | None = None,
) -> dict[str, pd.DataFrame]:
    """The five stock tables of a synthetic bank with ``households`` farm households."""
    if households < 1 or months < 1:
        raise ValueError("households and months must be positive")
    step = on_step or (lambda _name: None)
    rng = np.random.Generator(np.random.PCG64(seed))
    cal = Calendar.build(as_of, months)
    villages = _villages(rng, households, org_codes or ["SYN01"])
    pop = _population(rng, households, len(villages["code"]), cal)
    step("customers")
    customers = _customers(rng, pop, villages, cal)
    step("loans")
    loans, loan_cust = _loans(rng, pop, cal)
    step("transactions")
    flows = _flows(rng, pop, cal, loans, loan_cust)
    step("balances")
    balances, txns = _balances_and_outflows(rng, pop, cal, flows)
    numbers = customers["customer_no"].array
    step("holdings")
    holdings = _holdings(rng, pop, cal, loans, loan_cust, numbers)
    loans.insert(1, "customer_no", _take(numbers, loan_cust))
    return {
        "customers": customers,
        "balances": _balance_frame(balances, numbers, cal),
        "transactions": _transaction_frame(txns, numbers),
        "loans": loans,
        "holdings": holdings,
    }


# --- geography and people -----------------------------------------------------------------


def _villages(rng: np.random.Generator, households: int, org_codes: list[str]) -> dict:
    n = max(1, round(households / 300))
    towns = max(1, round(n / 15))
    town = np.sort(rng.integers(0, towns, n))
    town[: min(n, towns)] = np.arange(min(n, towns))
    town = np.sort(town)
    seq = np.arange(n) - np.searchsorted(town, town)
    code = [f"{COUNTY_CODE}{t + 1:03d}{s + 1:03d}" for t, s in zip(town, seq, strict=True)]
    prefix = rng.choice(VILLAGE_PREFIX, n)
    name = [
        p + s + x
        for p, s, x in zip(
            prefix, rng.choice(SURNAMES, n), rng.choice(VILLAGE_SUFFIX, n), strict=True
        )
    ]
    town_name = [_town_name(t) for t in range(towns)]
    by_town = towns >= len(org_codes)
    unit = rng.permutation(np.arange(towns if by_town else n) % len(org_codes))
    org = np.asarray(org_codes, dtype=object)[unit[town] if by_town else unit]
    return {
        "code": np.array(code, dtype=object),
        "name": np.array(name, dtype=object),
        "town": np.array(town_name, dtype=object)[town],
        "org": org,
    }


def _town_name(index: int) -> str:
    """东岱镇, 西岱镇 ... then 东山镇 ...: 14 x 14 names before a number is needed."""
    first, rest = index % len(TOWN_WORDS), index // len(TOWN_WORDS)
    second, lap = rest % len(TOWN_ENDINGS), rest // len(TOWN_ENDINGS)
    return TOWN_WORDS[first] + TOWN_ENDINGS[second] + (str(lap + 1) if lap else "") + "镇"


def _population(
    rng: np.random.Generator, households: int, villages: int, cal: Calendar
) -> Population:
    n_bus, n_ent = round(households * 0.09), max(1, round(households * 0.015))
    kind = np.repeat(
        np.array([FARMER, BUSINESS, ENTERPRISE], dtype=np.int8), [households, n_bus, n_ent]
    )
    n = len(kind)
    village = np.sort(rng.integers(0, villages, households))
    village = np.concatenate([village, rng.integers(0, villages, n - households)])
    age = np.where(
        kind == FARMER,
        np.clip(rng.normal(52, 12, n), 25, 80),
        np.clip(rng.normal(42, 9, n), 25, 65),
    )
    age = np.where(kind == ENTERPRISE, 0, np.floor(age)).astype(np.int16)
    need, risk = rng.standard_normal(n), rng.standard_normal(n)
    base = np.array([38_000.0, 120_000.0, 1_500_000.0])[kind]
    income = base * rng.lognormal(0, 0.5, n)
    farm = np.where(kind == FARMER, rng.choice(4, n, p=[0.45, 0.2, 0.15, 0.2]), 3)
    migrant = (kind == FARMER) & (rng.random(n) < 0.35)
    employer, employed_from = _employment(rng, kind, age, cal)
    opened = _opened(rng, n, cal)
    first_month = np.clip(np.searchsorted(cal.starts, opened, side="right"), 0, cal.n)
    growth = 0.05 + 0.35 * need - 0.10 * risk + rng.normal(0, 0.08, n)
    pos_growth = 0.05 + 0.15 * need
    credit_line = rng.random(n) < np.array([0.10, 0.20, 0.15])[kind]
    return Population(
        kind,
        village,
        age,
        need,
        risk,
        income,
        farm,
        migrant,
        employer,
        employed_from,
        first_month,
        opened,
        growth,
        pos_growth,
        credit_line,
    )


def _employment(
    rng: np.random.Generator, kind: np.ndarray, age: np.ndarray, cal: Calendar
) -> tuple[np.ndarray, np.ndarray]:
    n = len(kind)
    enterprises = np.flatnonzero(kind == ENTERPRISE)
    employed = (kind == FARMER) & (age < 55) & (rng.random(n) < 0.09 / 0.55 * 0.6)
    employer = np.full(n, -1, dtype=np.int64)
    employer[employed] = rng.choice(enterprises, int(employed.sum()))
    start = np.where(rng.random(n) < 0.6, 0, rng.integers(0, cal.n, n))
    return employer, start


def _opened(rng: np.random.Generator, n: int, cal: Calendar) -> np.ndarray:
    early = _day(date(2005, 1, 1))
    before = early + (rng.random(n) * (cal.starts[0] - early)).astype(np.int64)
    inside = cal.starts[0] + (rng.random(n) * (cal.as_of - 30 - cal.starts[0])).astype(np.int64)
    return np.where(rng.random(n) < 0.85, before, inside)


def _customers(
    rng: np.random.Generator, pop: Population, villages: dict, cal: Calendar
) -> pd.DataFrame:
    n, kind = pop.n, pop.kind
    numbers = pc.binary_join_element_wise(
        "SC", pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), 9, "0"), ""
    )
    gender = np.where(kind == FARMER, rng.random(n) < 0.8, rng.random(n) < 0.6)
    birth = cal.as_of - pop.age.astype(np.int64) * 365 - rng.integers(0, 365, n)
    person = _person_names(rng, n)
    vname, vcode = villages["name"][pop.village], villages["code"][pop.village]
    name = np.where(kind == FARMER, person, "")
    shop = rng.integers(0, len(BUSINESS_TYPES), n)
    firm = rng.integers(0, len(ENTERPRISE_TYPES), n)
    name = np.where(
        kind == BUSINESS,
        vname + person + np.array([b for b, _ in BUSINESS_TYPES], dtype=object)[shop],
        name,
    )
    firm_name = COUNTY_NAME + rng.choice(FIRM_WORDS, n) + rng.choice(FIRM_WORDS, n)
    firm_name = (
        firm_name + np.array([e for e, _ in ENTERPRISE_TYPES], dtype=object)[firm] + "有限公司"
    )
    name = np.where(kind == ENTERPRISE, firm_name, name)
    industry = np.where(kind == FARMER, FARM_INDUSTRY[pop.farm], "")
    industry = np.where(
        kind == BUSINESS, np.array([c for _, c in BUSINESS_TYPES], dtype=object)[shop], industry
    )
    industry = np.where(
        kind == ENTERPRISE, np.array([c for _, c in ENTERPRISE_TYPES], dtype=object)[firm], industry
    )
    house_no = rng.integers(1, 300, n).astype(str).astype(object)
    address = villages["town"][pop.village] + vname + house_no + "号"
    address = np.where(
        kind == ENTERPRISE, villages["town"][pop.village] + "工业园" + house_no + "号", address
    )
    size = np.clip(rng.poisson(2.3 * np.exp(0.2 * pop.need)) + 1, 1, 7)
    assets = pop.income * rng.lognormal(0.8, 0.6, n)
    miss = _missing(rng, pop)
    frame = pd.DataFrame(
        {
            "customer_no": pd.array(numbers, dtype=pd.StringDtype("pyarrow")),
            "name": _strings(name),
            "kind": pd.Categorical.from_codes(kind, KINDS),
            "id_number": _strings(
                np.where(
                    kind == FARMER,
                    _id_numbers(rng, birth, gender),
                    _credit_codes(rng, np.where(kind == BUSINESS, "92", "91")),
                ),
                miss[0],
            ),
            "phone": _strings(_phones(rng, n), miss[1]),
            "birth_date": _dates(birth, miss[2] | (kind == ENTERPRISE)),
            "gender": _strings(
                np.where(gender, "M", "F").astype(object), (kind == ENTERPRISE) | miss[2]
            ),
            "org_code": _strings(villages["org"][pop.village]),
            "village_code": _strings(vcode, miss[3]),
            "village_name": _strings(vname, miss[3]),
            "industry_code": _strings(industry, (industry == "") | (miss[2] & (kind != FARMER))),
            "household_size": pd.array(
                np.where(miss[4] | (kind != FARMER), pd.NA, size), dtype="Int64"
            ),
            "opened_on": _dates(pop.opened),
            "declared_income": pd.array(
                np.where(miss[5], np.nan, np.round(pop.income * rng.lognormal(0, 0.2, n), -2))
            ).astype("float64"),
            "declared_assets": np.where(miss[6], np.nan, np.round(assets, -3)),
            "address": _strings(address, miss[7]),
            "opt_out_personalised": rng.random(n) < 0.02,
            "synthetic": np.ones(n, dtype=bool),
        }
    )
    return frame


def _missing(rng: np.random.Generator, pop: Population) -> np.ndarray:
    """Eight rows of flags, one per optional field: archive gaps grow with the latent risk."""
    logit = -2.2 + 1.0 * pop.risk + 0.5 * (pop.age >= 65)
    return rng.random((8, pop.n)) < _sigmoid(logit)


def _person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    surname = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
    given = np.array(GIVEN, dtype=object)
    first = given[rng.integers(0, len(GIVEN), n)]
    second = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(GIVEN), n)], "")
    return surname + first + second


def _id_numbers(rng: np.random.Generator, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Resident id numbers (GB 11643) under the province-level area code 370000, which no
    real person's number carries, with a valid ISO 7064 MOD 11-2 check character."""
    ymd = np.char.replace(birth.astype("datetime64[D]").astype(str), "-", "")
    seq = rng.integers(0, 500, len(birth)) * 2 + male
    body = np.char.add(np.char.add(ID_AREA_CODE, ymd), np.char.zfill(seq.astype(str), 3))
    digits = body.astype("U17").view("U1").reshape(len(body), 17).astype(np.int64)
    weights = (2 ** np.arange(17, 0, -1)) % 11
    check = np.array(list("10X98765432"))[(digits @ weights) % 11]
    return np.char.add(body, check).astype(object)


def _credit_codes(rng: np.random.Generator, head: np.ndarray) -> np.ndarray:
    """Unified social credit codes (GB 32100): 92 individual business, 91 enterprise; the
    county is the fictional 370999 and the check character is valid."""
    body = np.char.add(np.char.add(head.astype("U2"), COUNTY_CODE), _digits(rng, len(head), 9))
    digits = body.astype("U17").view("U1").reshape(len(body), 17).astype(np.int64)
    weights = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
    check = np.array(list(USCC_ALPHABET))[(-(digits @ weights)) % 31]
    return np.char.add(body, check).astype(object)


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    return np.char.zfill(rng.integers(0, 10**width, n).astype(str), width)


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    head = rng.choice(np.array(["13", "15", "17", "18", "19"]), n)
    return np.char.add(head, _digits(rng, n, 9)).astype(object)


# --- loans ----------------------------------------------------------------------------------


def _loans(
    rng: np.random.Generator, pop: Population, cal: Calendar
) -> tuple[pd.DataFrame, np.ndarray]:
    past = _past_loans(rng, pop, cal)
    future = _future_loans(rng, pop, cal, past)
    parts = [past, future]
    cust = np.concatenate([p["cust"] for p in parts])
    fields = {k: np.concatenate([p[k] for p in parts]) for k in past if k != "cust"}
    order = np.lexsort((cust, fields["opened"]))
    cust = cust[order]
    fields = {k: v[order] for k, v in fields.items()}
    _future_defaults(rng, pop, cal, cust, fields)
    horizon = cal.as_of + 365
    for key in ("settled", "overdue", "default"):
        fields[key] = np.where(fields[key] > horizon, -1, fields[key])
    product = np.array(
        ["农户小额信用贷款", "个体工商户经营贷款", "小微企业流动资金贷款"], dtype=object
    )
    product = np.where(fields["joint"], "农户联保贷款", product[pop.kind[cust]])
    n = len(cust)
    numbers = pc.binary_join_element_wise(
        "SL", pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), 9, "0"), ""
    )
    frame = pd.DataFrame(
        {
            "loan_no": pd.array(numbers, dtype=pd.StringDtype("pyarrow")),
            "product": _strings(product),
            "amount": fields["amount"],
            "opened_on": _dates(fields["opened"]),
            "maturity_on": _dates(fields["maturity"]),
            "settled_on": _dates(fields["settled"], fields["settled"] < 0),
            "first_overdue_on": _dates(fields["overdue"], fields["overdue"] < 0),
            "first_default_on": _dates(fields["default"], fields["default"] < 0),
            "written_off": fields["written_off"],
        }
    )
    return frame, cust


def _loan_amounts(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    median = np.array([50_000.0, 150_000.0, 1_000_000.0])[kind]
    return np.round(median * rng.lognormal(0, 0.5, len(kind)), -3)


def _terms(rng: np.random.Generator, opened: np.ndarray) -> np.ndarray:
    return opened + rng.choice(np.array([365, 730, 1095]), len(opened), p=[0.5, 0.35, 0.15])


def _past_loans(rng: np.random.Generator, pop: Population, cal: Calendar) -> dict[str, np.ndarray]:
    rate = np.exp(-1.5 + 0.5 * pop.need + np.array([0.0, 0.3, 0.6])[pop.kind])
    count = np.minimum(rng.poisson(rate), 3)
    cust = np.repeat(np.arange(pop.n), count)
    start = np.maximum(pop.opened[cust], cal.as_of - 5 * 365)
    opened = start + (rng.random(len(cust)) * (cal.as_of - start)).astype(np.int64)
    maturity = _terms(rng, opened)
    term = maturity - opened
    risk = pop.risk[cust]
    overdue_flag = rng.random(len(cust)) < _sigmoid(-2.3 + 1.2 * risk)
    overdue = opened + (rng.uniform(0.2, 0.9, len(cust)) * term).astype(np.int64)
    overdue_flag &= overdue <= cal.as_of
    default_flag = overdue_flag & (rng.random(len(cust)) < _sigmoid(-1.0 + 0.8 * risk))
    default = overdue + 90
    default_flag &= default <= cal.as_of
    prepaid = ~overdue_flag & (rng.random(len(cust)) < 0.25)
    settled = np.where(
        prepaid,
        opened + (rng.uniform(0.3, 0.95, len(cust)) * term).astype(np.int64),
        maturity - rng.integers(0, 5, len(cust)),
    )
    settled = np.where(overdue_flag, maturity + rng.integers(5, 60, len(cust)), settled)
    settled = np.where(default_flag, -1, settled)
    written_off = default_flag & (default <= cal.as_of - 180) & (rng.random(len(cust)) < 0.4)
    return {
        "cust": cust,
        "opened": opened,
        "maturity": maturity,
        "settled": settled,
        "overdue": np.where(overdue_flag, overdue, -1),
        "default": np.where(default_flag, default, -1),
        "written_off": written_off,
        "amount": _loan_amounts(rng, pop.kind[cust]),
        "joint": (pop.kind[cust] == FARMER) & (rng.random(len(cust)) < 0.2),
    }


def _future_loans(
    rng: np.random.Generator, pop: Population, cal: Calendar, past: dict
) -> dict[str, np.ndarray]:
    """Loans opened in the year after as_of; p(open within 180 days) averages 20 %."""
    n = pop.n
    repaid = np.zeros(n, dtype=bool)
    ok = (past["settled"] >= 0) & (past["settled"] <= cal.as_of) & (past["overdue"] < 0)
    repaid[past["cust"][ok]] = True
    open_now = np.zeros(n, dtype=bool)
    live = (past["opened"] <= cal.as_of) & ((past["settled"] > cal.as_of) | (past["settled"] < 0))
    open_now[past["cust"][live]] = True
    score = (
        0.6 * pop.need
        + 0.5 * ((pop.kind == FARMER) & (pop.age >= 30) & (pop.age <= 55))
        + 0.4 * (pop.farm < 3)
        + 0.6 * repaid
        - 0.5 * pop.credit_line
        + 4.0 * pop.growth
        + 0.4 * ((pop.kind == BUSINESS) & (pop.pos_growth > 0.1))
        - 0.6 * (pop.age >= 65)
        - 0.3 * open_now
    )
    p6 = _sigmoid(score + _solve_intercept(score, 0.20))
    hazard = -np.log1p(-np.minimum(p6, 0.999)) / 180
    wait = rng.exponential(1 / hazard)
    borrow = wait < 365
    cust = np.flatnonzero(borrow)
    opened = cal.as_of + 1 + np.floor(wait[borrow]).astype(np.int64)
    maturity = _terms(rng, opened)
    prepaid = rng.random(len(cust)) < 0.1
    settled = np.where(
        prepaid,
        opened + (rng.uniform(0.2, 0.9, len(cust)) * (maturity - opened)).astype(np.int64),
        maturity,
    )
    empty = np.full(len(cust), -1, dtype=np.int64)
    return {
        "cust": cust,
        "opened": opened,
        "maturity": maturity,
        "settled": settled,
        "overdue": empty,
        "default": empty.copy(),
        "written_off": np.zeros(len(cust), dtype=bool),
        "amount": _loan_amounts(rng, pop.kind[cust]),
        "joint": (pop.kind[cust] == FARMER) & (rng.random(len(cust)) < 0.2),
    }


def _future_defaults(
    rng: np.random.Generator, pop: Population, cal: Calendar, cust: np.ndarray, f: dict
) -> None:
    """Loans open on as_of or opened after it default within a year with a 5 % mean."""
    at_risk = (f["default"] < 0) & (
        (f["opened"] > cal.as_of) | (f["settled"] > cal.as_of) | (f["settled"] < 0)
    )
    start = np.maximum(f["opened"] + 30, cal.as_of + 1)
    at_risk &= start <= cal.as_of + 270
    ever_overdue = np.zeros(pop.n, dtype=bool)
    ever_overdue[cust[(f["overdue"] >= 0) & (f["overdue"] <= cal.as_of)]] = True
    c = cust[at_risk]
    score = (
        1.8 * pop.risk[c]
        + 0.5 * ever_overdue[c]
        + 0.3 * (pop.age[c] >= 60)
        - 0.3 * (pop.employer[c] >= 0)
    )
    hit = rng.random(len(c)) < _sigmoid(score + _solve_intercept(score, 0.05))
    rows = np.flatnonzero(at_risk)[hit]
    overdue = start[rows] + (rng.random(len(rows)) * (cal.as_of + 271 - start[rows])).astype(
        np.int64
    )
    f["overdue"][rows] = np.where(f["overdue"][rows] >= 0, f["overdue"][rows], overdue)
    f["default"][rows] = overdue + 90
    f["settled"][rows] = -1


# --- flows, balances ------------------------------------------------------------------------


@dataclass
class Block:
    cust: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    direction: np.ndarray
    counterparty: np.ndarray
    channel: np.ndarray
    purpose: np.ndarray

    @classmethod
    def concat(cls, blocks: list[Block]) -> Block:
        return cls(
            *(np.concatenate([getattr(b, k) for b in blocks]) for k in cls.__dataclass_fields__)
        )


def _events(
    rng: np.random.Generator, rate: np.ndarray, cal: Calendar, days: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson counts from a (customers x months) rate: customer, month and day of each event."""
    counts = rng.poisson(rate).ravel()
    cell = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    cust, month = np.divmod(cell, cal.n)
    if days is None:
        offset = (rng.random(cell.size) * cal.lengths[month]).astype(np.int64)
    else:
        offset = np.minimum(rng.integers(days[0], days[1] + 1, cell.size), cal.lengths[month] - 1)
    return cust, month, cal.starts[month] + offset


def _block(
    cust: np.ndarray,
    day: np.ndarray,
    amount: np.ndarray,
    direction: int,
    counterparty: np.ndarray | int,
    channel: np.ndarray | int,
    purpose: int,
) -> Block:
    size = len(cust)

    def full(value: np.ndarray | int) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=np.int8), (size,)).copy()

    return Block(
        cust,
        day,
        np.round(np.maximum(amount, 1.0), 2),
        full(direction),
        full(counterparty),
        full(channel),
        full(purpose),
    )


def _active(pop: Population, cal: Calendar) -> np.ndarray:
    return np.arange(cal.n)[None, :] >= pop.first_month[:, None]


def _flows(
    rng: np.random.Generator,
    pop: Population,
    cal: Calendar,
    loans: pd.DataFrame,
    loan_cust: np.ndarray,
) -> list[Block]:
    active = _active(pop, cal)
    blocks = [
        _harvest(rng, pop, cal, active),
        _subsidies(rng, pop, cal, active),
        _remittances(rng, pop, cal, active),
        *_payroll(rng, pop, cal),
        _pos_takings(rng, pop, cal, active),
        _receipts(rng, pop, cal, active),
        _loan_flows(rng, cal, loans, loan_cust),
    ]
    return blocks


def _harvest(rng: np.random.Generator, pop: Population, cal: Calendar, active: np.ndarray) -> Block:
    weight = HARVEST[pop.farm][:, cal.calendar_month]
    rate = np.where(pop.kind[:, None] == FARMER, 0.8 * weight + 0.03, 0.0) * active
    rate = rate + 0.05 * active * (pop.kind[:, None] == FARMER)  # other inflows
    cust, month, day = _events(rng, rate, cal)
    harvest_month = HARVEST[pop.farm[cust], cal.calendar_month[month]] > 0
    scale = np.where(
        harvest_month, 0.22 * np.exp(0.3 * pop.need[cust]), 0.03
    )  # bigger farms need inputs
    amount = pop.income[cust] * scale * rng.lognormal(0, 0.4, len(cust))
    from_firm = rng.random(len(cust)) < 0.6
    counterparty = np.where(harvest_month & from_firm, 1, 0)
    channel = np.where(rng.random(len(cust)) < 0.5, 0, 2)
    purpose = np.where(harvest_month, 4, 8)
    block = _block(cust, day, amount, 0, counterparty, channel, 4)
    block.purpose = purpose.astype(np.int8)
    return block


def _subsidies(
    rng: np.random.Generator, pop: Population, cal: Calendar, active: np.ndarray
) -> Block:
    eligible = (pop.kind == FARMER) & (pop.farm < 3) & (rng.random(pop.n) < 0.85)
    paid = np.isin(cal.calendar_month, [3, 10])
    rate = (eligible[:, None] & paid[None, :] & active) * 0.97
    cust, _month, day = _events(rng, rate, cal, days=(14, 27))
    amount = rng.uniform(300, 2000, pop.n)[cust]
    return _block(cust, day, amount, 0, 2, 0, 1)


def _remittances(
    rng: np.random.Generator, pop: Population, cal: Calendar, active: np.ndarray
) -> Block:
    festival = np.where(np.isin(cal.calendar_month, [0, 1]), 2.0, 1.0)
    rate = (pop.migrant[:, None] & active) * 0.5 * festival[None, :]
    cust, month, day = _events(rng, rate, cal)
    amount = rng.lognormal(np.log(1500), 0.5, len(cust)) * (1 + (festival[month] > 1))
    return _block(cust, day, amount, 0, 0, 2, 3)


def _payroll(rng: np.random.Generator, pop: Population, cal: Calendar) -> list[Block]:
    employee = np.flatnonzero(pop.employer >= 0)
    months = np.arange(cal.n)
    paid = (
        months[None, :]
        >= np.maximum(pop.employed_from[employee], pop.first_month[employee])[:, None]
    ) & (months[None, :] < cal.n - (cal.lengths[-1] < 15))
    row, month = np.nonzero(paid)
    cust = employee[row]
    day = cal.starts[month] + np.minimum(rng.integers(9, 15, len(cust)), cal.lengths[month] - 1)
    salary = rng.lognormal(np.log(3800), 0.25, pop.n)
    amount = np.round(salary[cust] * rng.normal(1, 0.05, len(cust)), 2)
    incoming = _block(cust, day, amount, 0, 1, 4, 0)
    outgoing = _block(pop.employer[cust], day, amount, 1, 0, 4, 0)
    return [incoming, outgoing]


def _pos_takings(
    rng: np.random.Generator, pop: Population, cal: Calendar, active: np.ndarray
) -> Block:
    level = rng.lognormal(np.log(1.1), 0.5, pop.n)
    t = (np.arange(cal.n) - cal.n + 1) / 12
    festival = np.where(np.isin(cal.calendar_month, [0, 1]), 1.5, 1.0)
    rate = (
        (pop.kind == BUSINESS)[:, None]
        * active
        * level[:, None]
        * np.exp(pop.pos_growth[:, None] * t[None, :])
        * festival[None, :]
    )
    cust, _month, day = _events(rng, rate, cal)
    amount = pop.income[cust] / 12 / 1.1 * rng.lognormal(-0.2, 0.5, len(cust))
    return _block(cust, day, amount, 0, 3, 3, 2)


def _receipts(
    rng: np.random.Generator, pop: Population, cal: Calendar, active: np.ndarray
) -> Block:
    rate = (pop.kind == ENTERPRISE)[:, None] * active * 3.0
    cust, _month, day = _events(rng, rate, cal)
    amount = pop.income[cust] / 36 * rng.lognormal(-0.1, 0.6, len(cust))
    return _block(cust, day, amount, 0, 1, 4, 4)


def _loan_flows(
    rng: np.random.Generator, cal: Calendar, loans: pd.DataFrame, cust: np.ndarray
) -> Block:
    opened = _days(loans["opened_on"])
    settled = _days(loans["settled_on"])
    overdue = _days(loans["first_overdue_on"])
    amount = loans["amount"].to_numpy()
    seen = (opened >= cal.starts[0]) & (opened <= cal.as_of)
    disburse = _block(cust[seen], opened[seen], amount[seen], 0, 4, 0, 5)
    repaid = (settled >= cal.starts[0]) & (settled <= cal.as_of)
    principal = _block(cust[repaid], settled[repaid], amount[repaid], 1, 4, 0, 6)
    quarter_end = np.flatnonzero(np.isin(cal.calendar_month, [2, 5, 8, 11]))
    pay_day = cal.starts[quarter_end] + 19
    stop = np.where(settled >= 0, settled, cal.as_of + 1)
    stop = np.where(overdue >= 0, np.minimum(stop, overdue), stop)
    due = (
        (pay_day[None, :] > opened[:, None])
        & (pay_day[None, :] < stop[:, None])
        & (pay_day[None, :] <= cal.as_of)
    )
    row, col = np.nonzero(due)
    interest = amount[row] * 0.055 / 4
    channel = np.where(rng.random(len(row)) < 0.5, 0, 2)
    coupons = _block(cust[row], pay_day[col], interest, 1, 4, channel, 6)
    return Block.concat([disburse, principal, coupons])


def _balances_and_outflows(
    rng: np.random.Generator, pop: Population, cal: Calendar, blocks: list[Block]
) -> tuple[dict[str, np.ndarray], Block]:
    """Walk each customer's balance toward a trending target; spending becomes outflows."""
    flows = Block.concat(blocks)
    del blocks
    n, m = pop.n, cal.n
    month = np.searchsorted(cal.starts, flows.day, side="right") - 1
    cell = flows.cust * m + month
    signed = np.where(flows.direction == 0, flows.amount, 0.0)
    inflow = np.bincount(cell, signed, n * m).reshape(n, m)
    fixed_out = np.bincount(cell, flows.amount - signed, n * m).reshape(n, m)
    active = _active(pop, cal)
    ramp = np.clip((np.arange(m) - m + 7) / 6, 0, 1)  # spending picks up before borrowing
    out_rate = np.array([0.22, 0.7, 1.5])[pop.kind][:, None] * active
    out_rate = out_rate * np.exp(0.5 * pop.need[:, None] * ramp[None, :])
    out_count = rng.poisson(out_rate)
    level = pop.income * rng.uniform(0.5, 1.5, n)
    sigma = 0.05 + 0.20 * _sigmoid(1.5 * pop.risk - 1)
    t = (np.arange(m) - m + 1) / 12
    target = (
        level[:, None]
        * np.exp(pop.growth[:, None] * t[None, :])
        * rng.lognormal(0, sigma[:, None], (n, m))
    )
    end = np.zeros((n, m))
    spend = np.zeros((n, m))
    previous = np.where(pop.first_month == 0, level * np.exp(-pop.growth * (m / 12)), 0.0)
    for k in range(m):
        available = previous + inflow[:, k] - fixed_out[:, k]
        want = np.clip(available - (target[:, k] + 0.2 * inflow[:, k]), 0, None)
        spend[:, k] = np.where(out_count[:, k] > 0, want, 0.0)
        end[:, k] = np.maximum(available - spend[:, k], 0.0)
        previous = np.where(active[:, k], end[:, k], 0.0)
    start = np.concatenate(
        [
            np.where(pop.first_month == 0, level * np.exp(-pop.growth * (m / 12)), 0.0)[:, None],
            end[:, :-1],
        ],
        axis=1,
    )
    avg = (start + end) / 2 * rng.normal(1, 0.03, (n, m))
    outflows = _split_spending(rng, cal, spend, out_count, pop)
    return {
        "end": np.round(end, 2),
        "avg": np.round(np.maximum(avg, 0), 2),
        "active": active,
    }, Block.concat([flows, outflows])


def _split_spending(
    rng: np.random.Generator, cal: Calendar, spend: np.ndarray, count: np.ndarray, pop: Population
) -> Block:
    count = np.where(spend > 0, count, 0).ravel()
    cell = np.repeat(np.arange(count.size, dtype=np.int64), count)
    weight = rng.exponential(size=cell.size)
    total = np.bincount(cell, weight, count.size)
    amount = spend.ravel()[cell] * weight / total[cell]
    cust, month = np.divmod(cell, cal.n)
    day = cal.starts[month] + (rng.random(cell.size) * cal.lengths[month]).astype(np.int64)
    kind = rng.choice(4, cell.size, p=[0.45, 0.3, 0.15, 0.1])
    young = pop.age[cust] < 45
    cash_channel = np.where(
        young,
        rng.choice(np.array([0, 1, 5]), cell.size, p=[0.2, 0.6, 0.2]),
        rng.choice(np.array([0, 1, 5]), cell.size, p=[0.45, 0.15, 0.4]),
    )
    channel = np.select(
        [kind == 0, kind == 1, kind == 2],
        [cash_channel, np.where(rng.random(cell.size) < 0.7, 2, 4), 3],
        0,
    )
    counterparty = np.select(
        [kind == 0, kind == 1, kind == 2], [4, np.where(pop.kind[cust] == FARMER, 0, 1), 3], 0
    )
    purpose = np.select([kind == 0, kind == 1, kind == 2], [7, 4, 2], 8)
    block = _block(cust, day, amount, 1, counterparty, channel, 8)
    block.channel, block.counterparty, block.purpose = (
        x.astype(np.int8) for x in (channel, counterparty, purpose)
    )
    return block


# --- holdings -------------------------------------------------------------------------------


def _holdings(
    rng: np.random.Generator,
    pop: Population,
    cal: Calendar,
    loans: pd.DataFrame,
    loan_cust: np.ndarray,
    numbers: pd.arrays.ArrowStringArray,
) -> pd.DataFrame:
    n, kind, age = pop.n, pop.kind, pop.age.astype(float)
    digital = np.where(kind == FARMER, np.clip(0.85 - (age - 40) * 0.026, 0.2, 0.85), 0.0)
    rank = np.argsort(np.argsort(pop.income)) / n
    chance = {
        "deposit": np.ones(n),
        "card": np.where(
            kind == FARMER, np.where(age >= 65, 0.5, 0.75), np.where(kind == BUSINESS, 0.9, 0.6)
        ),
        "mobile_banking": np.where(
            kind == BUSINESS, 0.9, np.where(kind == ENTERPRISE, 0.7, digital)
        ),
        "agency_insurance": np.array([0.15, 0.2, 0.25])[kind],
        "wealth": 0.03 + 0.12 * rank,
        "social_security_card": np.array([0.7, 0.6, 0.0])[kind],
        "e_payment": np.where(kind == BUSINESS, 0.85, np.where(kind == ENTERPRISE, 0.5, digital)),
    }
    parts = []
    for code, p in chance.items():
        cust = np.flatnonzero(rng.random(n) < p)
        since = np.maximum(
            pop.opened[cust],
            _day(date(2014, 1, 1)) if code in ("mobile_banking", "e_payment") else 0,
        )
        opened = np.where(
            code == "deposit",
            pop.opened[cust],
            since + (rng.random(len(cust)) * (cal.as_of - since)).astype(np.int64),
        )
        closed = np.full(len(cust), -1)
        if code in ("card", "mobile_banking"):
            shut = rng.random(len(cust)) < 0.04
            closed = np.where(
                shut, opened + (rng.random(len(cust)) * (cal.as_of - opened)).astype(np.int64), -1
            )
        parts.append((code, cust, opened, closed))
    parts.append(("credit_line", *_credit_line_rows(rng, pop, cal)))
    parts.append(("payroll", *_payroll_rows(pop, cal)))
    parts.append(("loan", *_loan_rows(cal, loans, loan_cust)))
    cust = np.concatenate([p[1] for p in parts])
    product = np.concatenate(
        [np.full(len(p[1]), PRODUCTS.index(p[0]), dtype=np.int8) for p in parts]
    )
    opened = np.concatenate([p[2] for p in parts])
    closed = np.concatenate([p[3] for p in parts])
    order = np.lexsort((product, cust))
    return pd.DataFrame(
        {
            "customer_no": _take(numbers, cust[order]),
            "product": pd.Categorical.from_codes(product[order], PRODUCTS),
            "opened_on": _dates(opened[order]),
            "closed_on": _dates(closed[order], closed[order] < 0),
        }
    )


def _credit_line_rows(
    rng: np.random.Generator, pop: Population, cal: Calendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cust = np.flatnonzero(pop.credit_line)
    opened = pop.opened[cust] + (rng.random(len(cust)) * (cal.as_of - pop.opened[cust])).astype(
        np.int64
    )
    return cust, opened, np.full(len(cust), -1)


def _payroll_rows(pop: Population, cal: Calendar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    employee = np.flatnonzero(pop.employer >= 0)
    first = np.maximum(pop.employed_from[employee], pop.first_month[employee])
    keep = first < cal.n
    employee, first = employee[keep], first[keep]
    employers = np.unique(pop.employer[employee])
    employer_first = np.full(pop.n, cal.n)
    np.minimum.at(employer_first, pop.employer[employee], first)
    cust = np.concatenate([employee, employers])
    month = np.concatenate([first, employer_first[employers]])
    return cust, cal.starts[month] + 5, np.full(len(cust), -1)


def _loan_rows(
    cal: Calendar, loans: pd.DataFrame, cust: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    opened = _days(loans["opened_on"])
    settled = _days(loans["settled_on"])
    seen = opened <= cal.as_of
    cust, opened, settled = cust[seen], opened[seen], settled[seen]
    still_open = (settled < 0) | (settled > cal.as_of)
    owners = np.unique(cust)
    earliest = np.full(cust.max() + 1 if len(cust) else 0, np.iinfo(np.int64).max)
    np.minimum.at(earliest, cust, opened)
    last = np.full(len(earliest), -1)
    np.maximum.at(last, cust, np.where(still_open, np.iinfo(np.int64).max, settled))
    closed = last[owners]
    return owners, earliest[owners], np.where(closed == np.iinfo(np.int64).max, -1, closed)


# --- frames ---------------------------------------------------------------------------------


def _balance_frame(
    b: dict[str, np.ndarray], numbers: pd.arrays.ArrowStringArray, cal: Calendar
) -> pd.DataFrame:
    cust, month = np.nonzero(b["active"])
    return pd.DataFrame(
        {
            "customer_no": _take(numbers, cust),
            "month": _dates(cal.starts[month]),
            "avg_balance": b["avg"][cust, month],
            "end_balance": b["end"][cust, month],
        }
    )


def _transaction_frame(t: Block, numbers: pd.arrays.ArrowStringArray) -> pd.DataFrame:
    order = np.lexsort((t.cust, t.day))
    ids = pc.binary_join_element_wise(
        "T", pc.utf8_lpad(pa.array(np.arange(1, len(order) + 1)).cast(pa.string()), 10, "0"), ""
    )
    return pd.DataFrame(
        {
            "txn_id": pd.array(ids, dtype=pd.StringDtype("pyarrow")),
            "customer_no": _take(numbers, t.cust[order]),
            "txn_date": _dates(t.day[order]),
            "amount": t.amount[order],
            "direction": pd.Categorical.from_codes(t.direction[order], DIRECTIONS),
            "counterparty_type": pd.Categorical.from_codes(t.counterparty[order], COUNTERPARTIES),
            "channel": pd.Categorical.from_codes(t.channel[order], CHANNELS),
            "purpose": pd.Categorical.from_codes(t.purpose[order], PURPOSES),
        }
    )


# --- helpers --------------------------------------------------------------------------------


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _solve_intercept(score: np.ndarray, mean: float) -> float:
    """The intercept a with mean(sigmoid(score + a)) == mean (bisection)."""
    low, high = -20.0, 20.0
    for _ in range(50):
        mid = (low + high) / 2
        if _sigmoid(score + mid).mean() < mean:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.ArrowExtensionArray:
    mask = None if missing is None else np.asarray(missing, dtype=bool)
    values = pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(), mask=mask).cast(
        pa.date32()
    )
    return pd.arrays.ArrowExtensionArray(values)


def _strings(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.ArrowStringArray:
    mask = None if missing is None else np.asarray(missing, dtype=bool)
    return pd.array(pa.array(values, type=pa.string(), mask=mask), dtype=pd.StringDtype("pyarrow"))


def _take(numbers: pd.arrays.ArrowStringArray, index: np.ndarray) -> pd.arrays.ArrowStringArray:
    return pd.array(pa.array(numbers).take(pa.array(index)), dtype=pd.StringDtype("pyarrow"))


def _days(column: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of a date column, -1 where empty."""
    values = pa.array(column.array).cast(pa.int32())
    return np.asarray(pc.fill_null(values, -1).to_numpy(), dtype=np.int64)


# --- files ----------------------------------------------------------------------------------


def write(tables: dict[str, pd.DataFrame], out_dir: Path, fmt: str = "parquet") -> dict[str, Path]:
    """Write each table to ``out_dir/<table>.<fmt>`` (csv or parquet); return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name in TABLES:
        table = _plain(pa.Table.from_pandas(tables[name], preserve_index=False))
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path)
        elif fmt == "csv":
            pacsv.write_csv(table, path)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        paths[name] = path
    return paths


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary (category) columns become plain strings in the files."""
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields))
