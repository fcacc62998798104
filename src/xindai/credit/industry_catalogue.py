"""A starter list of the bank's industry credit policy (pure: no imports at all).

This is a starter list only, which the bank edits. A migration copies it into the editable
table ``IndustryPolicy``. From then on 风险合规 keeps that table, and this list is not read
again. Each entry is

    (GB/T 4754-2017 class code of 2–4 digits, stance, requires a special permit, note)

The stance is an ``admission.IndustryStance`` value: encouraged, allowed, restricted or
eliminated. The longest code that prefixes a customer's industry code applies. For example,
``5212`` (超级市场零售, which needs a food licence) overrides ``52`` (零售业).

It has no class marked eliminated (淘汰类). The 产业结构调整指导目录 eliminates processes,
equipment and capacities (土法炼焦, 小煤矿, 实心黏土砖, …), and none of these is a whole
GB/T 4754 class. So the classes that hold them are marked restricted, and the note says
what to check. A bank whose local policy bans a whole class marks it eliminated.
"""

from __future__ import annotations

ENCOURAGED = "encouraged"
ALLOWED = "allowed"
RESTRICTED = "restricted"
ELIMINATED = "eliminated"

# fmt: off
STARTER: tuple[tuple[str, str, bool, str], ...] = (
    # 鼓励: agriculture and what serves it (支农支小)
    ("01", ENCOURAGED, False, "农业（种植业）：支农支小重点支持"),
    ("02", ENCOURAGED, False, "林业：林木采伐须另办林木采伐许可证"),
    ("03", ENCOURAGED, False, "畜牧业：规模养殖场须持动物防疫条件合格证，可按需细分设置"),
    ("04", ENCOURAGED, False, "渔业：捕捞须持渔业捕捞许可证，可按需细分设置"),
    ("05", ENCOURAGED, False, "农、林、牧、渔专业及辅助性活动（农机作业、植保、灌溉等）"),
    ("13", ENCOURAGED, True,
     "农副食品加工业：须持食品生产许可证（饲料加工为饲料生产许可证，屠宰为定点屠宰证）"),
    ("153", ENCOURAGED, True, "精制茶加工：须持食品生产许可证"),
    ("4416", ENCOURAGED, False, "太阳能发电（含农村分布式光伏）"),
    ("4417", ENCOURAGED, False, "生物质能发电"),
    # 允许
    ("14", ALLOWED, True, "食品制造业：须持食品生产许可证"),
    ("15", ALLOWED, True, "酒、饮料和精制茶制造业：须持食品生产许可证"),
    ("27", ALLOWED, True, "医药制造业：须持药品生产许可证（兽药为兽药生产许可证）"),
    ("51", ALLOWED, False, "批发业"),
    ("5167", ALLOWED, True, "农药批发：须持农药经营许可证"),
    ("52", ALLOWED, False, "零售业"),
    ("5212", ALLOWED, True, "超级市场零售：销售食品须持食品经营许可证"),
    ("5213", ALLOWED, True, "便利店零售：销售食品须持食品经营许可证"),
    ("522", ALLOWED, True,
     "食品、饮料及烟草制品专门零售：须持食品经营许可证（烟草为烟草专卖零售许可证）"),
    ("525", ALLOWED, True,
     "医药及医疗器材专门零售：须持药品经营许可证（兽药为兽药经营许可证）"),
    ("61", ALLOWED, True, "住宿业：旅馆须持特种行业许可证"),
    ("62", ALLOWED, True, "餐饮业：须持食品经营许可证"),
    ("80", ALLOWED, False, "居民服务业"),
    ("81", ALLOWED, False, "机动车、电子产品和日用产品修理业"),
    # 限制: 审慎准入, 逐户核实 whether the business uses a process of the 淘汰类
    ("06", RESTRICTED, True,
     "煤炭开采和洗选业：须持采矿许可证、安全生产许可证；不具备安全生产条件的小煤矿属淘汰类"),
    ("08", RESTRICTED, True, "黑色金属矿采选业：须持采矿许可证、安全生产许可证"),
    ("09", RESTRICTED, True, "有色金属矿采选业：须持采矿许可证、安全生产许可证"),
    ("10", RESTRICTED, True, "非金属矿采选业（含砂石土开采）：须持采矿许可证、安全生产许可证"),
    ("2511", RESTRICTED, False, "原油加工及石油制品制造：小型炼油装置属淘汰类"),
    ("2521", RESTRICTED, False, "炼焦：土法炼焦及落后焦炉属淘汰类"),
    ("2672", RESTRICTED, True, "焰火、鞭炮产品制造：须持烟花爆竹安全生产许可证"),
    ("3011", RESTRICTED, False, "水泥制造：产能过剩行业，落后生产线属淘汰类"),
    ("3031", RESTRICTED, False, "粘土砖瓦及建筑砌块制造：实心黏土砖属淘汰类，新型墙材除外"),
    ("3041", RESTRICTED, False, "平板玻璃制造：产能过剩行业"),
    ("3110", RESTRICTED, False, "炼铁：产能过剩行业，落后高炉属淘汰类"),
    ("3120", RESTRICTED, False, "炼钢：产能过剩行业，落后转炉、电炉属淘汰类"),
    ("3140", RESTRICTED, False, "铁合金冶炼：落后矿热炉属淘汰类"),
    ("3216", RESTRICTED, False, "铝冶炼（电解铝）：产能过剩行业"),
    ("663", RESTRICTED, False,
     "非货币银行服务（融资租赁、典当、小额贷款等）：防止信贷资金转贷"),
    ("70", RESTRICTED, False, "房地产业：集中度管理；开发贷款须四证齐全、资本金到位"),
    ("901", RESTRICTED, True, "室内娱乐活动（歌舞厅、游艺厅、网吧）：须持娱乐经营许可证"),
)
# fmt: on
