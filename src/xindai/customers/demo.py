"""Demo economic archives (演示经济档案): one county with 3 townships and 10 villages, 300 farmer
households, 30 individual businesses (个体工商户) and 6 small enterprises.

Everything comes from a fixed seed (``random.Random`` and Faker ``zh_CN``): names are made up
and so are the identity numbers, which are nevertheless valid (check digits, birth dates that
fit each member's relation to the head, the 17th digit matching the sex). The county is the
fictional 青禾县 on the real region code 360121, which python-stdnum accepts for every birth
year. Completeness varies on purpose: a fifth of the archives are complete, the others lack
sections or documents, and some ID cards, leases and permits have expired, so that checklists
have something to show. Dates are placed relative to ``as_of`` (the business date).

Seeding again creates nothing: the county's area code marks the data set as present.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import struct
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from faker import Faker
from simple_history.utils import bulk_create_with_history
from stdnum.cn import ric, uscc

from xindai.audit import services as audit
from xindai.customers import section_models as sm
from xindai.customers.models import (
    Area,
    AreaLevel,
    Circle,
    Customer,
    CustomerKind,
    Document,
    DocumentType,
    IdType,
    RelationKind,
    Relationship,
    SoftInfo,
)
from xindai.customers.services import as_of_today, refresh_completeness
from xindai.org.models import User

SEED = 20260501
REASON = "演示数据"
REGION = "360121"  # 统计用区划代码 of the county: a real code under a fictional name
NEIGHBOUR = "360122"  # where some wives married in from; valid for births up to 2015
COUNTY_CODE, COUNTY = f"{REGION}000000", "青禾县"
BANK = "青禾农商银行"
OTHER_BANKS = ("中国邮政储蓄银行青禾县支行", "中国农业银行青禾县支行", "九江银行青禾支行")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
FARMER, BUSINESS, ENTERPRISE = CustomerKind.FARMER, CustomerKind.BUSINESS, CustomerKind.ENTERPRISE
CROP, LIVESTOCK = sm.ProductionCategory.CROP, sm.ProductionCategory.LIVESTOCK
Rel = sm.MemberRelation


@dataclass(frozen=True)
class Township:
    code: str  # the 3 digits after the county: 1xx 镇, 2xx 乡
    name: str
    manager: str  # username of the customer manager who keeps its customers
    villages: tuple[tuple[str, str, int], ...]  # (2xx 村委会 code, name, households)
    farming: tuple[str, ...]  # production lines common there
    streets: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """A production line; quantities per 亩 for crops, per head or bird for livestock."""

    kind: str
    category: str
    unit: str
    scale: tuple[int, int]
    kg_per_unit: int  # a year
    output: str
    price_fen: tuple[int, int]  # per kg


@dataclass(frozen=True)
class Trade:
    """A kind of individual business; ``industry`` is its GB/T 4754-2017 class."""

    label: str
    industry: str
    scope: str
    turnover: tuple[int, int]  # a month, 元
    margin_pct: tuple[int, int]
    staff: tuple[int, int]
    permit: tuple[str, str] = ("", "")  # (许可证名称, number format)
    suppliers: tuple[str, ...] = ("县城批发市场",)
    buyers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Firm:
    name: str
    industry: str
    township: str
    address: str
    scope: str
    capital: int  # registered, 元
    revenue: tuple[int, int]  # a year, 元
    permit: tuple[str, str]
    suppliers: tuple[str, ...]
    buyers: tuple[str, ...]


# fmt: off
TOWNSHIPS = (
    Township("100", "城关镇", "manager",
             (("201", "城东村", 40), ("202", "桥头村", 40), ("203", "柳塘村", 40)),
             ("水稻", "油菜", "生猪", "蛋鸡"), ("建设路", "人民路", "解放街")),
    Township("101", "东乡镇", "manager_dx",
             (("201", "东湖村", 26), ("202", "李庄村", 26), ("203", "枫林村", 26),
              ("204", "杨家村", 26)),
             ("水稻", "小麦", "玉米", "生猪", "肉牛"), ("东兴街", "新街")),
    Township("200", "西山乡", "manager_dx",
             (("201", "西山村", 26), ("202", "茶园村", 25), ("203", "河湾村", 25)),
             ("茶叶", "柑橘", "水稻", "山羊"), ("西山街",)),
)
LINES = {line.kind: line for line in (
    Line("水稻", CROP, "亩", (4, 150), 480, "公斤稻谷", (260, 300)),
    Line("小麦", CROP, "亩", (4, 100), 400, "公斤小麦", (230, 260)),
    Line("玉米", CROP, "亩", (4, 100), 520, "公斤玉米", (220, 260)),
    Line("油菜", CROP, "亩", (3, 60), 150, "公斤油菜籽", (550, 650)),
    Line("茶叶", CROP, "亩", (2, 40), 45, "公斤干茶", (8000, 20000)),
    Line("柑橘", CROP, "亩", (3, 50), 2200, "公斤柑橘", (180, 320)),
    Line("生猪", LIVESTOCK, "头", (20, 500), 120, "公斤生猪（年出栏）", (1400, 1800)),
    Line("肉牛", LIVESTOCK, "头", (5, 60), 550, "公斤肉牛（年出栏）", (2800, 3400)),
    Line("蛋鸡", LIVESTOCK, "只", (1000, 8000), 17, "公斤鸡蛋", (800, 1000)),
    Line("山羊", LIVESTOCK, "只", (20, 150), 35, "公斤山羊（年出栏）", (3200, 3800)),
)}
MACHINES = {"水稻": ("履带式收割机", 120_000), "小麦": ("拖拉机", 45_000),
            "玉米": ("玉米收获机", 90_000), "茶叶": ("茶叶杀青机", 25_000),
            "生猪": ("自动喂料线", 60_000), "蛋鸡": ("蛋鸡笼养设备", 80_000)}
VEHICLES = (("电动三轮车", 4_000), ("农用三轮车", 15_000), ("小轿车", 80_000))
FOOD = ("食品经营许可证", "JY1{region}00{serial}")
TRADES = (
    Trade("农资店", "5166", "化肥、农药（不含危险化学品）、种子、农膜销售", (60_000, 300_000),
          (8, 15), (1, 4), ("农药经营许可证", "农药经许（赣）{region}{serial}"),
          ("中化化肥江西分公司", "县供销社农资公司"), ("本乡种粮大户", "茶叶专业合作社")),
    Trade("超市", "5212", "日用百货、预包装食品、散装食品零售", (80_000, 400_000), (10, 18),
          (2, 8), FOOD, ("县城百货批发部", "南昌深圳农产品批发市场")),
    Trade("便利店", "5213", "预包装食品、日用品零售", (20_000, 80_000), (12, 20), (1, 2), FOOD),
    Trade("粮油店", "5221", "粮油、副食品零售", (30_000, 150_000), (6, 12), (1, 3), FOOD,
          ("青禾县丰源米业有限公司", "金龙鱼县级经销商")),
    Trade("饭店", "6210", "中餐服务", (40_000, 200_000), (15, 25), (3, 12),
          ("食品经营许可证", "JY2{region}00{serial}"), ("本镇农贸市场", "县城冻品批发部")),
    Trade("早餐店", "6220", "快餐服务", (15_000, 50_000), (20, 30), (1, 3),
          ("食品经营许可证", "JY2{region}00{serial}"), ("本镇农贸市场",)),
    Trade("汽修店", "8111", "汽车修理与维护；汽车配件零售", (30_000, 150_000), (20, 35), (2, 6),
          suppliers=("县城汽配城",), buyers=("青禾县顺通物流有限公司",)),
    Trade("摩托车修理铺", "8113", "摩托车、电动车修理与维护", (10_000, 40_000), (25, 40), (1, 2),
          suppliers=("县城汽配城",)),
    Trade("五金店", "5281", "五金、水暖、电料零售", (30_000, 120_000), (12, 20), (1, 3),
          suppliers=("南昌五金机电市场",)),
    Trade("兽药店", "5253", "兽药、饲料添加剂零售", (20_000, 100_000), (15, 25), (1, 2),
          ("兽药经营许可证", "兽药经营证字{region}{serial}号"), ("江西正邦饲料经销处",),
          ("本乡养猪户",)),
    Trade("理发店", "8040", "理发及美容服务", (10_000, 40_000), (35, 55), (1, 3)),
    Trade("手机店", "5274", "通信设备及配件零售；手机维修", (30_000, 120_000), (8, 15), (1, 3),
          suppliers=("南昌数码广场批发商",)),
)
BRANDS = ("丰收", "惠民", "兴旺", "鑫源", "利民", "金穗", "顺发", "福满", "红星", "永发", "四季",
          "百姓", "诚信", "大众", "宏达", "万家", "家家乐", "新亮")
FIRMS = (
    Firm("青禾县丰源米业有限公司", "1311", "城关镇", "工业园区创业大道8号",
         "粮食收购；大米加工、销售", 5_000_000, (15_000_000, 30_000_000),
         ("食品生产许可证", "SC101{region}{serial}"), ("本县种粮大户", "东乡镇粮食收购点"),
         ("南昌粮油批发市场", "县内各超市")),
    Firm("青禾县云岭茶业有限公司", "1530", "西山乡", "茶园村茶厂路1号",
         "茶叶种植、加工、销售", 2_000_000, (5_000_000, 12_000_000),
         ("食品生产许可证", "SC114{region}{serial}"), ("茶园村茶农", "西山村茶叶专业合作社"),
         ("江西茶叶交易市场", "网店经销商")),
    Firm("青禾县鑫达农机有限公司", "5171", "城关镇", "建设路218号",
         "农业机械及配件销售、维修", 1_000_000, (8_000_000, 15_000_000), ("", ""),
         ("常州东风农机集团有限公司", "久保田农业机械（苏州）有限公司"),
         ("本县种粮大户", "农机专业合作社")),
    Firm("青禾县顺通物流有限公司", "5431", "东乡镇", "东兴街物流园3号",
         "普通货物道路运输；仓储服务", 3_000_000, (6_000_000, 10_000_000),
         ("道路运输经营许可证", "赣交运管许可字{region}{serial}号"), ("中石化青禾加油站",),
         ("青禾县丰源米业有限公司", "县内各超市")),
    Firm("青禾县绿野生态养殖有限公司", "0313", "东乡镇", "杨家村养殖小区",
         "生猪养殖、销售", 5_000_000, (10_000_000, 20_000_000),
         ("动物防疫条件合格证", "（赣）动防合字第{region}{serial}号"), ("江西正邦饲料经销处",),
         ("南昌肉联厂", "县城屠宰场")),
    Firm("青禾县橘乡果业有限公司", "0153", "西山乡", "河湾村果园路6号",
         "柑橘种植、收购、销售", 1_000_000, (4_000_000, 8_000_000), ("", ""),
         ("河湾村果农",), ("南昌深圳农产品批发市场", "社区团购平台")),
)
# How many requirements an archive lacks, in percent of archives; one complete archive in ten
# then loses its ID card to expiry, which leaves about a fifth complete.
GAP_COUNTS = ((0,) * 22 + (1,) * 12 + (2,) * 14 + (3,) * 14 + (4,) * 12 + (5,) * 10
              + (6,) * 8 + (7,) * 5 + (8,) * 3)
# Which requirements are missing, by weight: documents are the usual gap, production the rarest.
FARMER_GAPS = {"doc:id_card": 5, "doc:household_register": 5, "village_evaluation": 4,
               "expenses": 3, "income": 3, "financial_assets": 3, "liabilities": 2, "assets": 2,
               "phone": 1, "land": 1, "production": 1}
BUSINESS_GAPS = {"doc:id_card": 4, "doc:licence": 4, "partners": 4, "accounts": 3,
                 "operations": 3, "premises": 2, "members": 2, "licence": 1, "phone": 1,
                 "industry_code": 1}
ENTERPRISE_GAPS = {"doc:statement": 4, "doc:articles": 3, "statements": 2, "shareholders": 2,
                   "accounts": 1, "doc:licence": 1}
ENTERPRISE_GAP_COUNTS = (0, 1, 0, 2, 3, 1)  # one per firm, in order
SOFT_NOTES = {
    Circle.BUSINESS: ("在收购点卖粮多年，结算及时，未听说拖欠货款", "饲料款按月结清，供应商评价好",
                      "规模近两年稳步扩大，去年新添了设备", "与县城几家饭店有长期供货关系",
                      "店里客流稳定，周边商户说其诚信经营", "曾有一笔货款拖欠半年，后已还清"),
    Circle.LIFE: ("家庭和睦，子女孝顺，无赌博等不良嗜好", "家中老人常年看病，医疗支出较大",
                  "去年新建住房，装修尚未完工", "夫妻二人勤劳肯干，早出晚归",
                  "孩子在县城读高中，教育支出较多", "生活节俭，家中有一定积蓄"),
    Circle.SOCIAL: ("担任村民小组长，在村里威望较高", "是本村专业合作社的社员",
                    "与邻里关系融洽，常帮人介绍活计", "平时少与人来往，口碑一般",
                    "常参与村里红白喜事帮忙，人缘好"),
}
SOURCES = ("村支书", "邻居", "同村村民", "上游供应商", "合作社理事长", "村会计", "本人及家属")
EVALUATIONS = {
    sm.Rating.GOOD: ("家庭和睦，勤劳肯干，遵纪守法，在村内口碑好，同意推荐授信。",
                     "诚实守信，无不良嗜好，按时缴纳各项费用，同意推荐。"),
    sm.Rating.FAIR: ("为人本分，收入一般，家庭负担较重，建议适度授信。",
                     "常年在外，村里了解有限，建议核实后授信。"),
    sm.Rating.POOR: ("曾有欠款纠纷，邻里评价一般，建议谨慎。",),
}
MOBILE_PREFIXES = (130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156,
                   157, 158, 159, 166, 173, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187,
                   188, 189, 191, 198, 199)
WAGE_JOBS = ("外出务工", "县城务工", "公司职员")
COUNTS = ("areas", "farmers", "businesses", "enterprises", "members", "section_rows",
          "documents", "soft_info", "relationships")
# fmt: on


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    born: dt.date
    id_number: str
    phone: str


def seed_demo_archives(as_of: dt.date | None = None) -> dict[str, int]:
    """Create the demo archives unless they exist; returns what was created, by kind."""
    as_of = as_of or as_of_today()
    with transaction.atomic():
        if Area.objects.filter(code=COUNTY_CODE).exists():
            return dict.fromkeys(COUNTS, 0)
        counts = _Demo(as_of).run()
        audit.record(
            "customers.demo.seed",
            actor=None,
            object_type="customers.customer",
            changes=counts,
            reason=REASON,
        )
    return counts


def _hundreds(amount: Decimal | int) -> Decimal:
    """A generated amount in whole hundreds of 元, as people quote them."""
    return Decimal(int(amount) // 100 * 100)


def _luhn(body: str) -> str:
    """``body`` with its Luhn check digit, as on a bank card."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str(-total % 10)


def _org_code_check(code8: str) -> str:
    """GB 11714 check character of the organisation-code part of a credit code."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in code8]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _png(comment: str) -> bytes:
    """A tiny valid PNG (8×5, grey) whose comment makes each file distinct."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    pixels = b"".join(b"\x00" + b"\xc8" * 24 for _ in range(5))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 5, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00" + comment.encode())
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _pdf(text: str) -> bytes:
    """A tiny valid one-page PDF showing ``text`` (ASCII)."""
    content = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref, size = len(out), len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


class _Demo:
    """Builds every row in memory, then saves them kind by kind with their history."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.rng = random.Random(SEED)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        usernames = {town.manager for town in TOWNSHIPS}
        self.managers = {u.username: u for u in User.objects.filter(username__in=usernames)}
        if missing := usernames - self.managers.keys():
            raise RuntimeError(f"缺少演示客户经理 {sorted(missing)}：请先载入演示机构和员工")
        self.used: set[str] = set()  # identity numbers, phones, accounts, names, links
        self.customers: list[Customer] = []
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.heads: list[tuple[Customer, Person]] = []  # farmers free to run a shop or hold shares
        self.loans: dict[str, Decimal] = {}  # farmer's id number → loan here, for guarantees
        self.secretaries: dict[str, str] = {}  # village code → 村支书
        self.areas = 0

    def run(self) -> dict[str, int]:
        county = self.area(COUNTY_CODE, COUNTY, AreaLevel.COUNTY, None)
        for town in TOWNSHIPS:
            township = self.area(f"{REGION}{town.code}000", town.name, AreaLevel.TOWNSHIP, county)
            for code, name, households in town.villages:
                village = self.area(f"{REGION}{town.code}{code}", name, AreaLevel.VILLAGE, township)
                self.secretaries[village.code] = self.fake.name()
                for _ in range(households):
                    self.household(town, village)
        for index in range(30):
            self.business(index)
        for firm, gap_count in zip(FIRMS, ENTERPRISE_GAP_COUNTS, strict=True):
            self.enterprise(firm, gap_count)
        self.guarantees()
        self.save()
        return self.counts()

    def save(self) -> None:
        bulk_create_with_history(self.customers, Customer, default_change_reason=REASON)
        for model, rows in self.rows.items():
            bulk_create_with_history(rows, model, batch_size=500, default_change_reason=REASON)
        for customer in self.customers:
            refresh_completeness(customer, self.as_of)

    def counts(self) -> dict[str, int]:
        kinds = [customer.kind for customer in self.customers]
        links = (Document, SoftInfo, Relationship)
        sections = sum(len(rows) for model, rows in self.rows.items() if model not in links)
        return {
            "areas": self.areas,
            "farmers": kinds.count(FARMER),
            "businesses": kinds.count(BUSINESS),
            "enterprises": kinds.count(ENTERPRISE),
            "members": len(self.rows[sm.HouseholdMember]),
            "section_rows": sections,
            "documents": len(self.rows[Document]),
            "soft_info": len(self.rows[SoftInfo]),
            "relationships": len(self.rows[Relationship]),
        }

    def add(self, row: Model) -> None:
        self.rows[type(row)].append(row)

    # ---- areas, people and numbers ---------------------------------------------------------

    def area(self, code: str, name: str, level: str, parent: Area | None) -> Area:
        self.areas += 1
        return Area.objects.create(code=code, name=name, level=level, parent=parent)

    def unique(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.used:
            pass
        self.used.add(value)
        return value

    def born(self, age: int) -> dt.date:
        """A birthday making someone ``age`` on as_of."""
        return self.as_of - dt.timedelta(days=age * 365 + self.rng.randrange(1, 365))

    def age(self, person: Person) -> int:
        return (self.as_of - person.born).days // 365

    def days(self, low: int, high: int) -> dt.date:
        """A date ``low``..``high`` days after as_of (negative: before)."""
        return self.as_of + dt.timedelta(days=self.rng.randint(low, high))

    def person(
        self, sex: str, age: int, surname: str = "", region: str = REGION, phone: float = 0.9
    ) -> Person:
        """Someone ``age`` years old; ``phone`` is the chance of a mobile number from 16 on."""
        given = self.fake.first_name_male() if sex == "M" else self.fake.first_name_female()
        born = self.born(age)

        def resident_id() -> str:
            body = f"{region}{born:%Y%m%d}{self.rng.randrange(500) * 2 + (sex == 'M'):03d}"
            return body + ric.calc_check_digit(body + "0")

        number = self.mobile() if age >= 16 and self.rng.random() < phone else ""
        name = (surname or self.fake.last_name()) + given
        return Person(name, sex, born, self.unique(resident_id), number)

    def mobile(self) -> str:
        rng = self.rng
        return self.unique(lambda: f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}")

    def card(self) -> str:
        return self.unique(lambda: _luhn(f"623059{self.rng.randrange(10**12):012d}"))

    def corporate_account(self) -> str:
        return self.unique(lambda: f"1503{REGION}{self.rng.randrange(10**8):08d}")

    def credit_code(self, prefix: str) -> str:
        """``92…`` for an individual business, ``91…`` for a company, registered here."""

        def make() -> str:
            code8 = "MA3" + "".join(self.rng.choice(USCC_ALPHABET) for _ in range(5))
            body = f"{prefix}{REGION}{code8}{_org_code_check(code8)}"
            return body + uscc.calc_check_digit(body)

        return self.unique(make)

    def gaps(self, weights: dict[str, int], count: int | None = None) -> frozenset[str]:
        """Which requirements this archive lacks: ``count`` of them, drawn by weight."""
        count = self.rng.choice(GAP_COUNTS) if count is None else count
        ranked = sorted(weights, key=lambda k: self.rng.random() ** (1 / weights[k]), reverse=True)
        return frozenset(ranked[:count])

    def id_card_expiry(self, person: Person) -> dt.date | None:
        """One card in ten has run out; from 46 the card is mostly 长期."""
        if self.rng.random() < 0.1:
            return self.days(-400, -10)
        if self.age(person) >= 46 and self.rng.random() < 0.7:
            return None
        return self.days(60, 3650 if self.age(person) < 26 else 7300)

    def new_customer(self, kind: str, town: Township, **fields: Any) -> Customer:
        manager = self.managers[town.manager]
        id_type = IdType.RESIDENT_ID if kind == FARMER else IdType.CREDIT_CODE
        customer = Customer(
            kind=kind, id_type=id_type, manager=manager, org_unit=manager.org_unit, **fields
        )
        self.customers.append(customer)
        return customer

    # ---- farmer households -----------------------------------------------------------------

    def household(self, town: Township, village: Area) -> None:
        rng, gaps = self.rng, self.gaps(FARMER_GAPS)
        surname = self.fake.last_name()
        head = self.person(
            "M" if rng.random() < 0.88 else "F", rng.randint(28, 70), surname, phone=1
        )
        customer = self.new_customer(
            FARMER,
            town,
            name=head.name,
            id_number=head.id_number,
            phone="" if "phone" in gaps else head.phone,
            address=f"{COUNTY}{town.name}{village.name}{rng.randint(1, 9)}组{rng.randint(1, 80)}号",
            village=village,
        )
        lines = [LINES[k] for k in rng.sample(town.farming, rng.choice((1, 1, 1, 2, 2)))]
        scales = {line.kind: self.scale(line) for line in lines}
        work = "养殖" if any(line.category == LIVESTOCK for line in lines) else "种植"
        family = self.family(customer, head, surname, work)
        revenue = self.production(customer, lines, scales, record="production" not in gaps)
        contracted = Decimal(rng.randint(25, 120)) / 10
        if "land" not in gaps:
            crops = [Decimal(scales[line.kind]) for line in lines if line.category == CROP]
            self.land(customer, village, contracted, max(crops, default=Decimal(0)))
        if "assets" not in gaps:
            self.farm_assets(customer, lines, scales)
        if "financial_assets" not in gaps:
            self.deposits(customer, rng.randint(5, 150) * 1000)
        if "liabilities" not in gaps:
            self.farm_liabilities(customer, sum(revenue.values(), Decimal(0)))
        if "income" not in gaps:
            self.income(customer, revenue, family, contracted)
        if "expenses" not in gaps:
            self.expenses(customer, revenue, family)
        if "village_evaluation" not in gaps:
            self.evaluation(customer, village)
        if "doc:id_card" not in gaps:
            self.document(customer, DocumentType.ID_CARD, "户主身份证", self.id_card_expiry(head))
        if "doc:household_register" not in gaps:
            self.document(customer, DocumentType.HOUSEHOLD_REGISTER, "户口簿")
        self.soft_info(customer, 0.3)
        self.heads.append((customer, head))

    def family(
        self, customer: Customer, head: Person, surname: str, work: str
    ) -> list[tuple[Person, str]]:
        """The head and 1–4 members whose ages fit their relation; (person, occupation)."""
        rng, age = self.rng, self.age(head)
        members: list[tuple[str, Person]] = []
        if rng.random() < (0.92 if head.sex == "M" else 0.25):  # women head mostly as widows
            wife = head.sex == "M"
            spouse_age = max(22, age - rng.randint(0, 5) if wife else age + rng.randint(0, 5))
            region = NEIGHBOUR if rng.random() < 0.2 else REGION
            members.append((Rel.SPOUSE, self.person("F" if wife else "M", spouse_age, "", region)))
        child_age = age - rng.randint(21, 30)  # the eldest; the others two to five years apart
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            if child_age >= 1:
                members.append((Rel.CHILD, self.person(rng.choice("MF"), child_age, surname)))
            child_age -= rng.randint(2, 5)
        if age <= 50 and rng.random() < 0.6:
            for sex in "MF":
                parent_age = age + rng.randint(22, 32)
                if parent_age <= 90:
                    parent = self.person(sex, parent_age, surname if sex == "M" else "")
                    members.append((Rel.PARENT, parent))
        if not members:
            sibling_age = max(18, age + rng.randint(-8, 8))
            members.append((Rel.SIBLING, self.person(rng.choice("MF"), sibling_age, surname)))
        family = []
        for relation, person in [(Rel.HEAD, head), *members[:4]]:
            occupation, labour = self.occupation(relation, self.age(person), work)
            self.member(customer, relation, person, occupation, labour)
            family.append((person, occupation))
        return family

    def occupation(self, relation: str, age: int, head_work: str) -> tuple[str, bool]:
        """(occupation, counts as labour)."""
        if age < 7:
            return "学龄前儿童", False
        if age < 19 or (age < 23 and relation == Rel.CHILD and self.rng.random() < 0.5):
            return "在校学生", False
        if age >= 70:
            return "无", False
        if relation == Rel.HEAD:
            return head_work, True
        if relation == Rel.CHILD:
            return self.rng.choice((*WAGE_JOBS, "外出务工", "个体经营")), True
        return ("务农", age < 65) if age >= 55 else (self.rng.choice(("务农", "县城务工")), True)

    def member(
        self, customer: Customer, relation: str, person: Person, occupation: str, labour: bool
    ) -> None:
        self.add(
            sm.HouseholdMember(
                customer=customer,
                relation=relation,
                name=person.name,
                sex=person.sex,
                id_number=person.id_number,
                occupation=occupation,
                phone=person.phone,
                is_labour=labour,
            )
        )

    def scale(self, line: Line) -> int:
        low, high = line.scale
        return low + int((high - low) * self.rng.random() ** 3)  # most are small, a few large

    def production(
        self, customer: Customer, lines: list[Line], scales: dict[str, int], record: bool
    ) -> dict[str, Decimal]:
        """Last year's sales by income source; a row per line when ``record``."""
        revenue: dict[str, Decimal] = defaultdict(Decimal)
        for line in lines:
            output = scales[line.kind] * line.kg_per_unit
            income = _hundreds(output * self.rng.randint(*line.price_fen) // 100)
            source = sm.IncomeSource.PLANTING if line.category == CROP else sm.IncomeSource.BREEDING
            revenue[source] += income
            if record:
                self.add(
                    sm.FarmProduction(
                        customer=customer,
                        category=line.category,
                        kind=line.kind,
                        scale=Decimal(scales[line.kind]),
                        unit=line.unit,
                        yearly_output=f"{output} {line.output}",
                        yearly_income=income,
                    )
                )
        return revenue

    def land(self, customer: Customer, village: Area, contracted: Decimal, crops: Decimal) -> None:
        """承包地 always; 流转地 for what the crops need beyond it, one lease in ten run out."""
        rng = self.rng
        self.add(
            sm.LandHolding(
                customer=customer,
                kind=sm.LandKind.CONTRACTED,
                area_mu=contracted,
                location=f"{village.name}{rng.randint(1, 9)}组",
                contract_no=f"{village.code}{rng.randrange(10**5):05d}J",
                expires_on=dt.date(self.as_of.year + rng.choice((3, 32)), 12, 31),
            )
        )
        if crops > contracted:
            expired, signed = rng.random() < 0.1, self.as_of.year - rng.randint(0, 5)
            self.add(
                sm.LandHolding(
                    customer=customer,
                    kind=sm.LandKind.TRANSFERRED,
                    area_mu=crops - contracted + rng.randint(0, 5),
                    location=f"{village.name}{rng.choice(('东畈', '西垅', '河滩', '后山'))}",
                    contract_no=f"LZ{signed}{rng.randrange(10**4):04d}",
                    expires_on=self.days(-200, -10) if expired else self.days(90, 3650),
                )
            )

    def farm_assets(self, customer: Customer, lines: list[Line], scales: dict[str, int]) -> None:
        rng = self.rng
        floors, sqm = rng.choice((1, 2, 2, 3)), rng.randint(90, 260)
        assets = [(sm.AssetCategory.HOUSE, f"自建住房{floors}层砖混，约{sqm}平方米", sqm * 1100)]
        for line in lines:
            if line.kind in MACHINES and scales[line.kind] >= line.scale[1] // 4:
                assets.append((sm.AssetCategory.MACHINERY, *MACHINES[line.kind]))
        if rng.random() < 0.7:
            assets.append((sm.AssetCategory.VEHICLE, *rng.choice(VEHICLES)))
        for category, description, value in assets:
            worth = _hundreds(value * rng.randint(60, 130) // 100)
            self.add(
                sm.FixedAsset(
                    customer=customer, category=category, description=description, value=worth
                )
            )

    def deposits(self, customer: Customer, here: int) -> None:
        """A deposit here always; 股金 and a deposit elsewhere for some."""
        rng, Cat = self.rng, sm.FinancialAssetCategory
        rows = [(Cat.DEPOSIT_HERE, f"{BANK}{customer.org_unit.name}", self.card(), here)]
        if rng.random() < 0.5:
            rows.append((Cat.SHARES, BANK, "", rng.choice((1_000, 2_000, 5_000, 10_000, 20_000))))
        if rng.random() < 0.3:
            rows.append(
                (Cat.DEPOSIT_ELSEWHERE, rng.choice(OTHER_BANKS), "", rng.randint(2, 80) * 1000)
            )
        for category, institution, account, amount in rows:
            self.add(
                sm.FinancialAsset(
                    customer=customer,
                    category=category,
                    institution=institution,
                    account_no=account,
                    amount=_hundreds(amount),
                )
            )

    def farm_liabilities(self, customer: Customer, revenue: Decimal) -> None:
        """The section needs a row, so a debt-free household still owes relatives a little."""
        rng, Cat = self.rng, sm.LiabilityCategory
        debts: list[tuple[str, str, int]] = []
        if rng.random() < 0.55:
            amount = max(30_000, min(300_000, int(revenue) // 2 // 10_000 * 10_000))
            debts.append((Cat.THIS_BANK, f"{BANK}{customer.org_unit.name}", amount))
            self.loans[customer.id_number] = Decimal(amount)
        if rng.random() < 0.15:
            debts.append((Cat.OTHER_BANK, rng.choice(OTHER_BANKS), rng.choice((50_000, 100_000))))
        if rng.random() < 0.25 or not debts:
            lender = f"亲戚{self.fake.last_name()}某（民间借款）"
            debts.append((Cat.PRIVATE, lender, rng.randint(1, 5) * 10_000))
        for category, creditor, amount in debts:
            self.add(
                sm.Liability(
                    customer=customer,
                    category=category,
                    creditor=creditor,
                    amount=Decimal(amount),
                    balance=_hundreds(amount * rng.randint(30, 100) // 100),
                    matures_on=None if category == Cat.PRIVATE else self.days(60, 720),
                )
            )

    def income(
        self,
        customer: Customer,
        revenue: dict[str, Decimal],
        family: list[tuple[Person, str]],
        contracted: Decimal,
    ) -> None:
        rng, Src, Period = self.rng, sm.IncomeSource, sm.IncomePeriod
        wage_earners = sum(1 for _, occupation in family if occupation in WAGE_JOBS)
        elders = sum(1 for person, _ in family if self.age(person) >= 60)
        items = dict(revenue)
        items[Src.WAGES] = Decimal(sum(rng.randint(300, 700) * 100 for _ in range(wage_earners)))
        items[Src.TRANSFER] = _hundreds(contracted * 110 + elders * 1_800)  # 地力补贴, 养老金
        for source, amount in items.items():
            if amount:
                self.add(
                    sm.IncomeItem(
                        customer=customer, period=Period.LAST_YEAR, source=source, amount=amount
                    )
                )
        if rng.random() < 0.3:
            for source, amount in revenue.items():
                expected = _hundreds(amount * rng.randint(95, 115) // 100)
                self.add(
                    sm.IncomeItem(
                        customer=customer, period=Period.THIS_YEAR, source=source, amount=expected
                    )
                )

    def expenses(
        self, customer: Customer, revenue: dict[str, Decimal], family: list[tuple[Person, str]]
    ) -> None:
        rng, Cat = self.rng, sm.ExpenseCategory
        ages = [self.age(person) for person, _ in family]
        students = sum(1 for _, occupation in family if occupation == "在校学生")
        items = {
            Cat.LIVING: len(family) * rng.randint(5_000, 8_000),
            Cat.EDUCATION: students * rng.randint(3_000, 12_000),
            Cat.MEDICAL: rng.randint(1_000, 3_000) + 3_000 * sum(1 for a in ages if a >= 60),
            Cat.FAVOURS: rng.randint(3_000, 12_000),
            Cat.PRODUCTION: int(sum(revenue.values(), Decimal(0))) * rng.randint(45, 70) // 100,
        }
        for category, amount in items.items():
            if amount:
                self.add(
                    sm.ExpenseItem(
                        customer=customer,
                        period=sm.IncomePeriod.LAST_YEAR,
                        category=category,
                        amount=_hundreds(amount),
                    )
                )

    def evaluation(self, customer: Customer, village: Area) -> None:
        rating = self.rng.choices(list(EVALUATIONS), weights=(75, 20, 5))[0]
        self.add(
            sm.VillageEvaluation(
                customer=customer,
                rating=rating,
                comment=self.rng.choice(EVALUATIONS[rating]),
                evaluator=f"{self.secretaries[village.code]}（村支书）",
                evaluated_on=self.days(-300, -5),
            )
        )

    # ---- individual businesses and enterprises ---------------------------------------------

    def business(self, index: int) -> None:
        """A shop; two in five are run by a farmer household head of the demo."""
        rng, gaps = self.rng, self.gaps(BUSINESS_GAPS)
        town = rng.choices(TOWNSHIPS, weights=(14, 9, 7))[0]
        trade = TRADES[index % len(TRADES)]
        farmer = self.heads.pop(rng.randrange(len(self.heads))) if rng.random() < 0.4 else None
        owner = (
            farmer[1] if farmer else self.person(rng.choice("MMF"), rng.randint(25, 58), phone=1)
        )
        brands = (*BRANDS, f"老{owner.name[0]}")
        customer = self.new_customer(
            BUSINESS,
            town,
            name=self.unique(lambda: f"{COUNTY}{town.name}{rng.choice(brands)}{trade.label}"),
            id_number=self.credit_code("92"),
            phone="" if "phone" in gaps else owner.phone,
            address=f"{COUNTY}{town.name}{rng.choice(town.streets)}{rng.randint(1, 199)}号",
            industry_code="" if "industry_code" in gaps else trade.industry,
        )
        if farmer:
            self.relate(farmer[0], customer, RelationKind.RELATED_PARTY, "户主为该个体工商户经营者")
        if "licence" not in gaps:
            self.licence(customer, self.days(-5000, -400), None, trade.scope)
        if "members" not in gaps:
            self.member(customer, Rel.OPERATOR, owner, "个体经营", True)
        if "premises" not in gaps:
            self.premises(customer, rng.randint(20, 200), expired_lease=index in (4, 17))
        if "operations" not in gaps:
            self.operations(customer, trade)
        if "partners" not in gaps:
            self.partners(customer, trade.suppliers, trade.buyers)
        if "accounts" not in gaps:
            self.account(customer, True, sm.AccountType.PERSONAL, self.card())
        if rng.random() < 0.6:
            self.deposits(customer, rng.randint(10, 200) * 1000)
        if trade.permit[0]:
            self.permit(customer, *trade.permit, expired=rng.random() < 0.15)
        if "doc:licence" not in gaps:
            self.document(customer, DocumentType.LICENCE, "营业执照正本")
        if "doc:id_card" not in gaps:
            self.document(
                customer, DocumentType.ID_CARD, "经营者身份证", self.id_card_expiry(owner)
            )
        self.soft_info(customer, 0.5)

    def operations(self, customer: Customer, trade: Trade) -> None:
        rng = self.rng
        turnover = rng.randint(*trade.turnover) // 1000 * 1000
        self.add(
            sm.BusinessOperations(
                customer=customer,
                employees=rng.randint(*trade.staff),
                monthly_turnover=Decimal(turnover),
                monthly_profit=_hundreds(turnover * rng.randint(*trade.margin_pct) // 100),
                inventory_value=_hundreds(turnover * rng.randint(30, 150) // 100),
            )
        )

    def enterprise(self, firm: Firm, gap_count: int) -> None:
        rng, gaps = self.rng, self.gaps(ENTERPRISE_GAPS, gap_count)
        town = next(t for t in TOWNSHIPS if t.name == firm.township)
        rep = self.person(rng.choice("MMMF"), rng.randint(35, 58), phone=1)
        customer = self.new_customer(
            ENTERPRISE,
            town,
            name=firm.name,
            id_number=self.credit_code("91"),
            phone=rep.phone,
            address=f"{COUNTY}{town.name}{firm.address}",
            industry_code=firm.industry,
        )
        registered = self.days(-5500, -1500)
        term = dt.date(registered.year + 30, registered.month, 1) if rng.random() < 0.5 else None
        self.licence(customer, registered, term, firm.scope)
        self.governance(customer, rep, firm.capital)
        if "shareholders" not in gaps:
            self.shareholders(customer, rep, firm.capital)
        if "accounts" not in gaps:
            self.account(customer, True, sm.AccountType.BASIC, self.corporate_account())
            self.account(customer, False, sm.AccountType.GENERAL, self.corporate_account())
        if "statements" not in gaps:
            self.statements(customer, firm)
        self.premises(customer, rng.randint(800, 6000), expired_lease=False)
        self.partners(customer, firm.suppliers, firm.buyers)
        if firm.permit[0]:
            self.permit(customer, *firm.permit, expired=False)
        loan = rng.choice((1_000_000, 2_000_000, 3_000_000))
        self.add(
            sm.Liability(
                customer=customer,
                category=sm.LiabilityCategory.THIS_BANK,
                creditor=f"{BANK}{customer.org_unit.name}",
                amount=Decimal(loan),
                balance=Decimal(loan),
                matures_on=self.days(90, 360),
            )
        )
        for doc_type, title in (
            (DocumentType.LICENCE, "营业执照副本"),
            (DocumentType.ARTICLES, "公司章程"),
            (DocumentType.STATEMENT, "上年度资产负债表及利润表"),
        ):
            if f"doc:{doc_type}" not in gaps:
                self.document(customer, doc_type, title)
        self.soft_info(customer, 1.0)

    def licence(
        self, customer: Customer, registered: dt.date, term: dt.date | None, scope: str
    ) -> None:
        status = self.rng.choices(list(sm.AnnualReport), weights=(85, 12, 3))[0]
        year = self.as_of.year - (1 if status == sm.AnnualReport.REPORTED else 2)
        self.add(
            sm.Licence(
                customer=customer,
                registered_on=registered,
                valid_until=term,
                annual_report=status,
                annual_report_year=max(year, registered.year),
                scope=scope,
            )
        )

    def premises(self, customer: Customer, sqm: int, expired_lease: bool) -> None:
        owned = not expired_lease and self.rng.random() < 0.4
        lease_end = self.days(-120, -20) if expired_lease else self.days(60, 1100)
        self.add(
            sm.Premises(
                customer=customer,
                ownership=sm.Ownership.OWNED if owned else sm.Ownership.LEASED,
                address=customer.address,
                area_sqm=Decimal(sqm),
                lease_expires_on=None if owned else lease_end,
            )
        )

    def partners(
        self, customer: Customer, suppliers: tuple[str, ...], buyers: tuple[str, ...]
    ) -> None:
        for role, names in ((sm.PartnerRole.SUPPLIER, suppliers), (sm.PartnerRole.BUYER, buyers)):
            for name in names[: self.rng.randint(1, 2)]:
                self.add(
                    sm.TradePartner(
                        customer=customer,
                        role=role,
                        name=name,
                        share_pct=Decimal(self.rng.randint(10, 45)),
                        years=self.rng.randint(1, 12),
                    )
                )

    def account(self, customer: Customer, here: bool, kind: str, number: str) -> None:
        bank = f"{BANK}{customer.org_unit.name}" if here else self.rng.choice(OTHER_BANKS)
        self.add(
            sm.BankAccount(
                customer=customer, held_here=here, bank=bank, account_type=kind, account_no=number
            )
        )

    def permit(self, customer: Customer, name: str, number: str, expired: bool) -> None:
        number = number.format(region=REGION, serial=f"{self.rng.randrange(10**5):05d}")
        expires = self.days(-200, -5) if expired else self.days(90, 1800)
        self.add(sm.SpecialPermit(customer=customer, name=name, number=number, expires_on=expires))

    def governance(self, customer: Customer, rep: Person, capital: int) -> None:
        self.add(
            sm.EnterpriseGovernance(
                customer=customer,
                legal_rep_name=rep.name,
                legal_rep_id=rep.id_number,
                controller_name=rep.name,
                controller_id=rep.id_number,
                registered_capital=Decimal(capital),
                paid_in_capital=_hundreds(capital * self.rng.choice((50, 80, 100)) // 100),
            )
        )

    def shareholders(self, customer: Customer, rep: Person, capital: int) -> None:
        """The legal representative holds the majority, a farmer of the demo the rest."""
        main = self.rng.randint(51, 80)
        farmer, partner = self.heads.pop(self.rng.randrange(len(self.heads)))
        self.relate(farmer, customer, RelationKind.SHAREHOLDER, f"持股 {100 - main}%")
        for person, pct in ((rep, main), (partner, 100 - main)):
            self.add(
                sm.Shareholder(
                    customer=customer,
                    name=person.name,
                    id_number=person.id_number,
                    share_pct=Decimal(pct),
                    contribution=_hundreds(capital * pct // 100),
                )
            )

    def statements(self, customer: Customer, firm: Firm) -> None:
        """Key figures of the last two year-ends, the later year a little larger."""
        rng = self.rng
        revenue = rng.randint(*firm.revenue)
        for years_back in (1, 2):
            assets = revenue * rng.randint(50, 120) // 100
            debts = assets * rng.randint(35, 65) // 100
            self.add(
                sm.FinancialStatement(
                    customer=customer,
                    period_end=dt.date(self.as_of.year - years_back, 12, 31),
                    total_assets=_hundreds(assets),
                    total_liabilities=_hundreds(debts),
                    current_assets=_hundreds(assets * rng.randint(40, 70) // 100),
                    current_liabilities=_hundreds(debts * rng.randint(60, 90) // 100),
                    revenue=_hundreds(revenue),
                    net_profit=_hundreds(revenue * rng.randint(2, 8) // 100),
                )
            )
            revenue = revenue * rng.randint(85, 100) // 100

    # ---- links, notes and documents --------------------------------------------------------

    def guarantees(self) -> None:
        """Neighbours guarantee each other's loans here: a link and a 对外担保 liability."""
        borrowers = [c for c in self.customers if c.id_number in self.loans]
        for borrower in self.rng.sample(borrowers, min(25, len(borrowers))):
            neighbours = [
                c for c, _ in self.heads if c.village == borrower.village and c is not borrower
            ]
            if not neighbours:
                continue
            guarantor, amount = self.rng.choice(neighbours), self.loans[borrower.id_number]
            note = f"为其在本行{amount / 10_000:g}万元贷款提供连带责任保证"
            if self.relate(guarantor, borrower, RelationKind.GUARANTOR, note):
                self.add(
                    sm.Liability(
                        customer=guarantor,
                        category=sm.LiabilityCategory.GUARANTEE,
                        creditor=borrower.name,
                        amount=amount,
                        balance=amount,
                        matures_on=self.days(60, 720),
                    )
                )

    def relate(self, source: Customer, target: Customer, kind: str, note: str) -> bool:
        key = f"{source.id_number}>{target.id_number}:{kind}"
        if key in self.used:
            return False
        self.used.add(key)
        self.add(Relationship(source=source, target=target, kind=kind, note=note))
        return True

    def soft_info(self, customer: Customer, share: float) -> None:
        if self.rng.random() >= share:
            return
        for circle in self.rng.sample(list(SOFT_NOTES), self.rng.randint(1, 3)):
            self.add(
                SoftInfo(
                    customer=customer,
                    circle=circle,
                    note=self.rng.choice(SOFT_NOTES[circle]),
                    source=self.rng.choice(SOURCES),
                    noted_on=self.days(-300, -1),
                    author=customer.manager,
                )
            )

    def document(
        self, customer: Customer, doc_type: str, title: str, expires_on: dt.date | None = None
    ) -> None:
        """A tiny scan (PNG for ID cards, PDF otherwise) stored through the FileField."""
        label = f"Xindai demo document {len(self.rows[Document]) + 1}: {doc_type}"
        is_image = doc_type == DocumentType.ID_CARD
        data, ext = (_png(label), ".png") if is_image else (_pdf(label), ".pdf")
        sha256 = hashlib.sha256(data).hexdigest()
        document = Document(
            customer=customer,
            doc_type=doc_type,
            title=title,
            original_name=f"{title}{ext}",
            content_type="image/png" if is_image else "application/pdf",
            size=len(data),
            sha256=sha256,
            expires_on=expires_on,
            uploaded_by=customer.manager,
        )
        # Named by content, so a file left by an earlier run (rolled back, or another test
        # database) is reused rather than copied again.
        name = f"{sha256[:16]}{ext}"
        path = document.file.field.generate_filename(document, name)
        if document.file.storage.exists(path):
            document.file.name = path
        else:
            document.file.save(name, ContentFile(data), save=False)
        self.add(document)
