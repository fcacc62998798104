"""Precision-marketing data and models: the bank's stock customers (imported from the core
system), import batches, the model registry, batch score runs, customer scores with their
reasons, and drift monitoring.

The large time series (monthly balances, transactions, loans, holdings) live as Parquet tables
in ``settings.STOCK_DIR`` where DuckDB (or Spark) reads them; only the customer master and the
results that pages and target lists need are rows here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xindai.customers.models import CustomerKind
from xindai.org.models import OrgUnit


class StockTable(models.TextChoices):
    CUSTOMERS = "customers", _("客户")
    BALANCES = "balances", _("月均存款余额")
    TRANSACTIONS = "transactions", _("账户交易流水")
    LOANS = "loans", _("存量贷款")
    HOLDINGS = "holdings", _("产品持有")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportBatch(models.Model):
    """One file of stock data brought in: what was read, taken and refused (row by row)."""

    table = models.CharField(_("数据表"), max_length=16, choices=StockTable.choices)
    file_name = models.CharField(_("文件名"), max_length=200)
    file_format = models.CharField(_("格式"), max_length=8)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    rows_accepted = models.PositiveIntegerField(_("接收行数"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    rows_new = models.PositiveIntegerField(_("新增行数"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新行数"), default=0)
    # The first row errors, each {"row": n, "column": c, "value": v, "message": m}; the full
    # report is a CSV file at ``report_path`` (relative to STOCK_DIR).
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    report_path = models.CharField(_("错误报告文件"), max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("存量数据导入批次")
        verbose_name_plural = _("存量数据导入批次")
        ordering = ["-started_at", "-pk"]
        permissions = [("import_stock", _("可导入存量客户数据"))]

    def __str__(self) -> str:
        return f"{self.get_table_display()} {self.file_name}"


class StockCustomer(models.Model):
    """A customer of the bank as the core system knows him (存量客户), scored for marketing.

    Linked to his economic archive (``archive``) when one exists with the same ID number."""

    customer_no = models.CharField(_("客户号"), max_length=32, unique=True)
    name = models.CharField(_("客户名称"), max_length=100, db_index=True)
    kind = models.CharField(_("客户类型"), max_length=12, choices=CustomerKind.choices)
    id_number = models.CharField(_("证件号码"), max_length=18, blank=True, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("管户机构"),
        on_delete=models.PROTECT,
        related_name="stock_customers",
    )
    village_code = models.CharField(_("村代码"), max_length=12, blank=True, db_index=True)
    village_name = models.CharField(_("所在村"), max_length=60, blank=True)
    industry_code = models.CharField(_("行业代码"), max_length=4, blank=True)
    opened_on = models.DateField(_("开户日期"), null=True, blank=True)
    archive = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("客户档案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stock_records",
    )
    # 拒绝个性化营销: left out of scoring-based target lists from this moment on.
    opted_out_at = models.DateTimeField(_("拒绝个性化营销时间"), null=True, blank=True)
    synthetic = models.BooleanField(_("模拟数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("存量客户")
        verbose_name_plural = _("存量客户")
        ordering = ["customer_no"]
        indexes = [models.Index(fields=["org_unit", "village_code"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.customer_no}）"


class ModelKind(models.TextChoices):
    PROPENSITY = "propensity", _("借款意愿模型")
    SCORECARD = "scorecard", _("信用评分卡")


class ModelStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已否决")
    RETIRED = "retired", _("已停用")


class ScoringModel(models.Model):
    """One trained model version in the registry; used only once 风险合规 approved it."""

    kind = models.CharField(_("模型类型"), max_length=12, choices=ModelKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.PENDING
    )
    trained_as_of = models.DateField(_("训练数据截止日"))
    data_fingerprint = models.CharField(_("训练数据指纹"), max_length=64)
    features = models.JSONField(_("特征"), default=list)
    params = models.JSONField(_("参数"), default=dict)
    # {"auc", "ks", "gini", "capture_10", "capture_20", "n_train", "n_test", "event_rate", ...}
    metrics = models.JSONField(_("指标"), default=dict)
    gains = models.JSONField(_("累积捕获曲线"), default=list)  # [[share, capture], ...]
    # Training distributions for PSI: {"score": {"edges": [...], "shares": [...]},
    #                                  "features": {name: {"edges": [...], "shares": [...]}}}
    baseline = models.JSONField(_("基准分布"), default=dict)
    points_table = models.JSONField(_("评分卡分值表"), default=list, blank=True)
    artifact = models.CharField(_("模型文件"), max_length=200)  # relative to MODEL_DIR
    artifact_sha256 = models.CharField(_("模型文件SHA-256"), max_length=64)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("训练人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trained_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("评分模型")
        verbose_name_plural = _("评分模型")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="scoring_model_version")
        ]
        permissions = [
            ("train_model", _("可训练评分模型")),
            ("approve_model", _("可审批评分模型")),
            ("run_scoring", _("可运行批量评分")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScoreRun(models.Model):
    """The batch scoring of one date (跑批): one per date; running it again replaces it."""

    as_of = models.DateField(_("评分日期"), unique=True)
    propensity_model = models.ForeignKey(
        ScoringModel, verbose_name=_("借款意愿模型"), on_delete=models.PROTECT, related_name="+"
    )
    scorecard_model = models.ForeignKey(
        ScoringModel, verbose_name=_("信用评分卡"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    customers_scored = models.PositiveIntegerField(_("评分客户数"), default=0)
    customers_opted_out = models.PositiveIntegerField(_("拒绝个性化营销客户数"), default=0)
    grade_counts = models.JSONField(_("各等级客户数"), default=dict)
    seconds = models.FloatField(_("耗时（秒）"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量评分")
        verbose_name_plural = _("批量评分")
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"{self.as_of}"


class Grade(models.TextChoices):
    A = "A", _("A 优先走访")
    B = "B", _("B 择机营销")
    C = "C", _("C 培育关系")
    D = "D", _("D 暂不营销")


class CustomerScore(models.Model):
    """A customer's scores of one date, his grade and the reasons, in plain Chinese."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="scores")
    customer = models.ForeignKey(
        StockCustomer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="scores"
    )
    as_of = models.DateField(_("评分日期"))
    propensity = models.FloatField(_("借款意愿概率"))
    points = models.IntegerField(_("信用评分"))
    pd = models.FloatField(_("违约概率"))
    grade = models.CharField(_("客户等级"), max_length=1, choices=Grade.choices)
    # [{"model": "propensity"|"scorecard", "feature": name, "text": "近12个月有代发工资入账",
    #   "effect": +/-value}, ...] strongest first
    reasons = models.JSONField(_("评分理由"), default=list)

    class Meta:
        verbose_name = _("客户评分")
        verbose_name_plural = _("客户评分")
        ordering = ["-as_of", "grade", "-propensity"]
        constraints = [
            models.UniqueConstraint(fields=["as_of", "customer"], name="scoring_score_per_day")
        ]
        indexes = [models.Index(fields=["as_of", "grade"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.as_of} {self.grade}"


class MonitoringReport(models.Model):
    """Population stability of a model's score and top features against its training data."""

    model = models.ForeignKey(
        ScoringModel, verbose_name=_("模型"), on_delete=models.CASCADE, related_name="monitoring"
    )
    as_of = models.DateField(_("监测日期"))
    psi_score = models.FloatField(_("评分PSI"))
    psi_features = models.JSONField(_("特征PSI"), default=dict)
    drift = models.BooleanField(_("发生漂移"), default=False)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("模型监测")
        verbose_name_plural = _("模型监测")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["model", "as_of"], name="scoring_monitor_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.as_of}"
