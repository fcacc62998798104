"""The demo county on paper: its townships and villages, farming lines, trades, firms, and
the weights that decide what each archive lacks. Data only; :mod:`people`, :mod:`households`
and :mod:`businesses` draw from it."""

from __future__ import annotations

from dataclasses import dataclass

from xindai.customers import section_models as sm
from xindai.customers.models import Circle, CustomerKind

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
