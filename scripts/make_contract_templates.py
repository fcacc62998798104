"""Write the bank's five uniform contracts (统一制式合同) as docxtpl templates:
``src/xindai/contracts/docx/<kind>.docx``. Run again after editing the clauses below:

    .venv/bin/python scripts/make_contract_templates.py

The shipped files are version 1 of each kind (loaded by the contracts migration); a bank that
changes a clause uploads a new version in the admin instead, and 风险合规 approves it.

Placeholders (``{{ amount_upper }}`` ...) are filled by ``xindai.contracts.documents.render``
from the approved terms. Clause headings are paragraphs of their own, "第一条　…": the
consistency check compares them with the template's list (no clause added or removed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "src" / "xindai" / "contracts" / "docx"
NUMERALS = "一二三四五六七八九十"

# ---- the clauses each contract shares ---------------------------------------------------------

MAIN_DEBT = [
    "主合同：借款人{{ borrower_name }}与债权人签订的编号为{{ main_contract_number }}的"
    "《借款合同》。",
    "借款种类：{{ loan_kind }}；借款用途：{{ purpose_text }}（{{ purpose_label }}）。",
    "借款金额：{{ amount_upper }}（小写：¥{{ amount_figure }}）。",
    "借款期限：{{ term_months }}个月，自{{ start_date }}起至{{ end_date }}止。",
    "执行年利率：{{ rate_pct }}%；还款方式：{{ repayment_label }}；"
    "主合同担保方式：{{ security_label }}。",
]
SCOPE = [
    "担保范围包括主合同项下的借款本金、利息、罚息、复利、违约金、损害赔偿金以及债权人为实现"
    "债权和担保权利而发生的诉讼费、仲裁费、律师费、公告费、执行费、评估费、拍卖费等全部费用。"
]
DISPUTE = [
    "因本合同引起的或与本合同有关的任何争议，双方应协商解决；协商不成的，任何一方均可向"
    "债权人（贷款人）所在地有管辖权的人民法院提起诉讼。",
    "争议解决期间，本合同不涉及争议的条款仍须履行。",
]


def effect(parties: str) -> list[str]:
    return [
        f"本合同自{parties}签字（盖章）之日起生效，至本合同项下全部债务清偿完毕之日终止。",
        "本合同采用打印方式填制，内容完整，不得涂改；本合同条款以贷款人统一制式合同为准，"
        "双方不得增加或删减条款，其他约定以书面补充协议另行签订，并经贷款人有权审批人审批。",
        "本合同一式三份，各方各执一份，具有同等法律效力。",
    ]


LOAN = [
    (
        "借款种类与用途",
        [
            "本合同项下借款种类为{{ loan_kind }}。",
            "借款用途为：{{ purpose_text }}（用途类别：{{ purpose_label }}）。借款人不得改变借款"
            "用途，不得将借款用于股本权益性投资、证券、期货、理财产品、房地产投机及国家法律法规"
            "禁止的其他领域。",
        ],
    ),
    (
        "借款金额",
        ["借款金额为{{ amount_upper }}（小写：¥{{ amount_figure }}）。"],
    ),
    (
        "借款期限",
        [
            "借款期限为{{ term_months }}个月，自{{ start_date }}起至{{ end_date }}止。",
            "实际放款日与上述起始日不一致的，以借款借据记载的日期为准，到期日相应顺延或提前，"
            "借款期限不变。借款借据是本合同的组成部分，与本合同具有同等法律效力。",
        ],
    ),
    (
        "借款利率与计息",
        [
            "本合同执行年利率为{{ rate_pct }}%{{ pricing_text }}，借款期限内利率不作调整。",
            "日利率＝年利率÷360，按实际天数计息，算头不算尾。{{ settlement_text }}",
            "借款人未按约定期限归还借款本金的，自逾期之日起按罚息利率计收罚息，罚息利率为本合同"
            "执行利率上浮{{ penalty_markup_pct }}%，即年利率{{ penalty_rate_pct }}%；借款人未按"
            "约定用途使用借款的，对挤占挪用部分自改变用途之日起按本合同执行利率上浮"
            "{{ misuse_markup_pct }}%，即年利率{{ misuse_rate_pct }}%计收罚息；对不能按时支付的"
            "利息，按罚息利率计收复利。",
        ],
    ),
    (
        "还款方式",
        [
            "还款方式为：{{ repayment_label }}。{{ repayment_text }}",
            "借款人应在每个还款日前在其于贷款人处开立的还款账户中备足当期应还款项，并授权贷款人"
            "从该账户直接扣收。",
        ],
    ),
    (
        "担保方式",
        ["本合同项下借款的担保方式为：{{ security_label }}。{{ security_text }}"],
    ),
    (
        "借款的发放与支付",
        [
            "贷款人按照《个人贷款管理办法》《流动资金贷款管理办法》《农户贷款管理办法》等规定，"
            "采用贷款人受托支付或借款人自主支付方式发放和支付借款。采用自主支付的，借款人应定期"
            "向贷款人报告借款资金的使用情况。借款人不得以化整为零方式规避受托支付。",
        ],
    ),
    (
        "借款人的权利和义务",
        [
            "借款人有权按本合同约定取得和使用借款；有权要求贷款人对其提供的财务资料及生产经营"
            "秘密保密。",
            "借款人应按约定用途使用借款，按期足额归还借款本息；接受并配合贷款人对其生产经营、"
            "财务状况及借款使用情况的检查和监督，如实提供有关资料；发生住所、联系方式、经营状况等"
            "重大变化或涉及重大诉讼的，应在七日内书面通知贷款人。",
        ],
    ),
    (
        "贷款人的权利和义务",
        [
            "贷款人有权了解借款人的生产经营和财务活动，有权检查、监督借款的使用情况，有权按本合同"
            "约定收回借款本息。",
            "贷款人应按本合同约定发放借款，对借款人的资料和商业秘密保密，但法律法规另有规定的"
            "除外。",
        ],
    ),
    (
        "违约责任",
        [
            "借款人未按期归还借款本息、改变借款用途、提供虚假资料或拒绝接受贷款人监督检查的，"
            "构成违约。贷款人有权按本合同第四条计收罚息和复利，有权停止发放尚未发放的借款、"
            "宣布借款提前到期并要求借款人立即清偿全部借款本息，有权从借款人在贷款人处开立的账户"
            "中扣收，并有权依法处分担保财产或要求保证人承担保证责任。",
            "贷款人无正当理由未按约定发放借款的，应承担相应的违约责任。",
        ],
    ),
    (
        "合同的变更与解除",
        [
            "本合同生效后，任何一方不得擅自变更或解除本合同。需要变更借款金额、期限、利率、还款"
            "方式或担保方式的，须经双方书面同意，并经贷款人有权审批人重新审批；涉及担保的，须取得"
            "担保人的书面同意。",
        ],
    ),
    ("争议解决", DISPUTE),
    ("合同的生效", effect("借款人和贷款人")),
]

GUARANTEE = [
    ("被担保的主债权", MAIN_DEBT),
    (
        "保证方式",
        [
            "保证人提供的保证为连带责任保证。借款人未按主合同约定履行债务的，债权人有权直接要求"
            "保证人在保证范围内承担保证责任。"
        ],
    ),
    ("保证范围", SCOPE),
    (
        "保证期间",
        [
            "保证期间为主合同约定的债务履行期限届满之日起三年，即至{{ guarantee_until }}止。",
            "债权人依主合同约定宣布借款提前到期的，保证期间自提前到期之日起计算。主合同展期的，"
            "保证期间至展期协议重新约定的债务履行期限届满之日起三年。",
        ],
    ),
    (
        "保证人的声明与保证",
        [
            "保证人{{ party_name }}（证件号码：{{ party_id_number }}）具有完全民事行为能力和"
            "代偿能力，自愿为主合同项下债务提供保证；保证人提供的财务资料真实、完整、有效。"
        ],
    ),
    (
        "保证人的义务",
        [
            "保证期间，保证人应接受债权人对其资信和经营、财务状况的监督检查；保证人发生分立、合并、"
            "住所变更、对外提供大额担保或其他足以影响其保证能力的事项，应在七日内书面通知债权人。"
        ],
    ),
    (
        "主合同的变更",
        [
            "债权人与借款人协议变更主合同金额、期限、利率等内容的，应当取得保证人书面同意；未经"
            "保证人书面同意加重债务的，保证人对加重部分不承担保证责任。"
        ],
    ),
    (
        "违约责任",
        [
            "保证人未按本合同约定履行保证责任的，债权人有权从保证人在债权人处开立的账户中直接扣收，"
            "并按主合同约定的罚息利率计收逾期部分的罚息。保证人提供虚假资料或隐瞒重要事实的，"
            "应赔偿由此给债权人造成的全部损失。"
        ],
    ),
    ("争议解决", DISPUTE),
    ("合同的生效", effect("保证人和债权人")),
]

COLLATERAL = [
    "名称：{{ collateral_description }}；类型：{{ collateral_type_label }}；"
    "所有权人：{{ collateral_owner }}；权属证书编号：{{ collateral_certificate }}。",
    "评估价值：人民币{{ collateral_value }}元（评估机构：{{ collateral_appraiser }}，"
    "评估日期：{{ collateral_appraised_on }}）。评估价值不作为债权人实现抵（质）押权时处分"
    "担保财产的估价依据。",
]

MORTGAGE = [
    ("被担保的主债权", MAIN_DEBT),
    ("抵押物", COLLATERAL),
    ("担保范围", SCOPE),
    (
        "抵押登记与他项权证",
        [
            "抵押人应于本合同签订之日起十五日内会同抵押权人到不动产登记机构办理抵押登记手续，"
            "抵押权自登记时设立。登记费用由抵押人承担。",
            "抵押登记完成后取得的不动产登记证明（他项权证）由抵押权人收执，按有价单证管理要求"
            "入库保管，并列入表外科目核算；抵押物的权属证书原件一并交抵押权人保管。",
        ],
    ),
    (
        "抵押物的占有与保管",
        [
            "抵押期间抵押物由抵押人占有、使用和保管，抵押人应妥善保管、维护抵押物，保证其完好，"
            "并接受抵押权人的检查；抵押物发生毁损、灭失或价值明显减少的，抵押人应及时通知抵押权人"
            "并提供相应的补充担保。"
        ],
    ),
    (
        "抵押物的处分限制",
        [
            "抵押期间，未经抵押权人书面同意，抵押人不得转让、出租、赠与、再抵押或以其他方式处分"
            "抵押物。经同意转让的，转让所得价款应优先用于提前清偿主债权。"
        ],
    ),
    (
        "抵押权的实现",
        [
            "主合同项下债务履行期限届满（含依约提前到期）抵押权人未受清偿的，抵押权人有权与抵押人"
            "协议以抵押物折价，或者依法拍卖、变卖抵押物，并以所得价款优先受偿。"
        ],
    ),
    (
        "违约责任",
        [
            "抵押人隐瞒抵押物存在共有、争议、被查封、被扣押或已设定抵押等情况，或不配合办理抵押"
            "登记的，应赔偿由此给抵押权人造成的全部损失；抵押权人有权要求主合同借款人提前清偿债务。"
        ],
    ),
    ("争议解决", DISPUTE),
    ("合同的生效", effect("抵押人和抵押权人")),
]

PLEDGE = [
    ("被担保的主债权", MAIN_DEBT),
    ("质押权利", COLLATERAL),
    ("担保范围", SCOPE),
    (
        "权利凭证的交付与止付",
        [
            "出质人应于本合同签订之日将权利凭证原件交付质权人，并配合质权人办理止付、质押登记"
            "或质押通知手续；质权自权利凭证交付（或依法办理出质登记）时设立。",
            "质权人收到权利凭证后出具质物交接清单，按有价单证管理要求入库保管，并列入表外科目"
            "核算。",
        ],
    ),
    (
        "质押期间的约定",
        [
            "质押期间，出质人不得挂失、转让、再质押或以其他方式处分质押权利；质押权利的兑现日期"
            "先于主债务履行期限的，质权人可以兑现，并与出质人协议将兑现的价款提前清偿债务或者提存。"
        ],
    ),
    (
        "质权的实现",
        [
            "主合同项下债务履行期限届满（含依约提前到期）质权人未受清偿的，质权人有权直接兑现质押"
            "权利或依法处分，并以所得价款优先受偿。"
        ],
    ),
    (
        "违约责任",
        [
            "出质人隐瞒质押权利存在瑕疵、争议或已被设定质押，或擅自挂失、处分质押权利的，应赔偿"
            "由此给质权人造成的全部损失。"
        ],
    ),
    ("争议解决", DISPUTE),
    ("合同的生效", effect("出质人和质权人")),
]

MAX_MORTGAGE = [
    (
        "被担保的最高债权额",
        [
            "抵押人自愿以本合同所列抵押物，为债务人{{ borrower_name }}在债权确定期间内与抵押权人"
            "连续发生的借款债务提供最高额抵押担保。",
            "被担保的最高债权额为{{ amount_upper }}（小写：¥{{ amount_figure }}）。",
        ],
    ),
    (
        "债权确定期间与决算期",
        [
            "债权确定期间为{{ term_months }}个月，自{{ start_date }}起至{{ end_date }}止；"
            "决算期为{{ end_date }}。",
            "在债权确定期间内，债务人可在最高债权额内循环使用借款，每笔借款的金额、期限以借款"
            "合同及借款借据为准，借款到期日可以超过决算期。",
        ],
    ),
    (
        "首笔主债权",
        [
            "本合同项下首笔主债权为编号{{ main_contract_number }}的《借款合同》：借款种类"
            "{{ loan_kind }}，借款用途：{{ purpose_text }}（{{ purpose_label }}）；执行年利率"
            "{{ rate_pct }}%；还款方式：{{ repayment_label }}；担保方式：{{ security_label }}。",
        ],
    ),
    ("抵押物", COLLATERAL),
    ("担保范围", SCOPE),
    (
        "抵押登记与他项权证",
        [
            "抵押人应于本合同签订之日起十五日内会同抵押权人办理最高额抵押登记，登记的最高债权额"
            "与债权确定期间应与本合同一致。",
            "抵押登记完成后取得的不动产登记证明（他项权证）由抵押权人收执，入库保管并列入表外"
            "科目核算。",
        ],
    ),
    (
        "抵押物的处分限制",
        [
            "抵押期间，未经抵押权人书面同意，抵押人不得转让、出租、赠与、再抵押或以其他方式处分"
            "抵押物。"
        ],
    ),
    (
        "最高额抵押权的实现",
        [
            "决算期届至或发生法定债权确定事由时，被担保债权确定；债务人未按约清偿的，抵押权人有权"
            "依法处分抵押物，并在最高债权额内优先受偿。"
        ],
    ),
    (
        "违约责任",
        [
            "抵押人隐瞒抵押物存在共有、争议、被查封、被扣押或已设定抵押等情况，或不配合办理抵押"
            "登记的，应赔偿由此给抵押权人造成的全部损失。"
        ],
    ),
    ("争议解决", DISPUTE),
    ("合同的生效", effect("抵押人和抵押权人")),
]

# kind: (title, prefix line, party labels, clauses, parties' signature labels)
KINDS: dict[str, tuple[str, str, list[tuple[str, str]], list[Any], tuple[str, str]]] = {
    "loan": (
        "借款合同",
        "借款人与贷款人经平等协商，就借款事宜订立本合同，共同遵守。",
        [("借款人", "borrower"), ("贷款人", "lender")],
        LOAN,
        ("借款人", "贷款人"),
    ),
    "guarantee": (
        "保证合同",
        "为确保主合同项下债务的履行，保证人自愿为借款人向债权人提供保证，经平等协商订立本合同。",
        [("保证人", "party"), ("债权人", "lender")],
        GUARANTEE,
        ("保证人", "债权人"),
    ),
    "mortgage": (
        "抵押合同",
        "为确保主合同项下债务的履行，抵押人自愿以其有权处分的财产向抵押权人提供抵押担保，"
        "经平等协商订立本合同。",
        [("抵押人", "party"), ("抵押权人", "lender")],
        MORTGAGE,
        ("抵押人", "抵押权人"),
    ),
    "pledge": (
        "权利质押合同",
        "为确保主合同项下债务的履行，出质人自愿以其有权处分的权利向质权人提供质押担保，"
        "经平等协商订立本合同。",
        [("出质人", "party"), ("质权人", "lender")],
        PLEDGE,
        ("出质人", "质权人"),
    ),
    "max_mortgage": (
        "最高额抵押合同",
        "为确保债务人在一定期间内连续发生的借款债务的履行，抵押人自愿以其有权处分的财产向"
        "抵押权人提供最高额抵押担保，经平等协商订立本合同。",
        [("抵押人", "party"), ("抵押权人", "lender")],
        MAX_MORTGAGE,
        ("抵押人", "抵押权人"),
    ),
}

PARTY_LINES = {
    "borrower": [
        "{{ label }}：{{ borrower_name }}",
        "证件类型及号码：{{ borrower_id_type }} {{ borrower_id_number }}",
        "住所：{{ borrower_address }}　联系电话：{{ borrower_phone }}",
    ],
    "party": [
        "{{ label }}：{{ party_name }}",
        "证件类型及号码：{{ party_id_type }} {{ party_id_number }}",
        "住所：{{ party_address }}",
    ],
    "lender": [
        "{{ label }}：{{ lender_name }}",
        "住所：{{ lender_address }}",
    ],
}


def font(style: Any, east_asian: str, size: float) -> None:
    style.font.name = "Times New Roman"
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)


def numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return (
        ("" if n < 20 else NUMERALS[n // 10 - 1]) + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")
    )


def write(kind: str) -> Path:
    title, preamble, parties, clauses, signers = KINDS[kind]
    document = Document()
    font(document.styles["Normal"], "宋体", 11)
    for name in ("Title", "Heading 2"):
        font(document.styles[name], "黑体", 18 if name == "Title" else 12)
        document.styles[name].font.color.rgb = RGBColor(0, 0, 0)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2.5)
    document.core_properties.title = title
    document.core_properties.author = "{{ lender_name }}"
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph("合同编号：{{ number }}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for label, who in parties:
        for line in PARTY_LINES[who]:
            document.add_paragraph(line.replace("{{ label }}", label))
    document.add_paragraph(preamble).paragraph_format.first_line_indent = Pt(22)
    for n, (clause, paragraphs) in enumerate(clauses, start=1):
        document.add_heading(f"第{numeral(n)}条　{clause}", level=2)
        for n_para, text in enumerate(paragraphs, start=1):
            shown = f"{n_para}. {text}" if len(paragraphs) > 1 else text
            document.add_paragraph(shown).paragraph_format.first_line_indent = Pt(22)
    document.add_paragraph("（以下无正文）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    left, right = signers
    rows = [
        (f"{left}（签字/盖章）：", f"{right}（公章）："),
        ("法定代表人/委托代理人（签字）：", "负责人/授权代理人（签字）："),
        ("签订日期：　　　年　　月　　日", "签订地点："),
    ]
    for row, (a, b) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = a, b
    path = OUT / f"{kind}.docx"
    document.save(str(path))
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        print(write(kind))
