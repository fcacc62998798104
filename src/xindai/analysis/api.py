"""Financial analysis over REST: ``POST /analysis/ratios`` takes the statements file of
``xindai ratios`` and answers the same JSON, figure for figure; ``POST /analysis/credit-limit``
takes the inputs of the three credit-limit methods and answers their steps and the suggestion.

Both only calculate (nothing is saved) and need 贷款试算 (``loans.use_calculator``). Bad input
is a 422 ``validation_error`` whose ``details`` give each bad value's path and messages.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from xindai.analysis import calculator
from xindai.analysis.api_schemas import CreditLimitIn, CreditLimitOut, RatiosIn, RatiosOut
from xindai.api import requires

router = Router(tags=["analysis"])

USE = "loans.use_calculator"


@router.post("/ratios", response=RatiosOut, summary="财务比率分析", auth=requires(USE))
def ratios(request: HttpRequest, payload: RatiosIn) -> Any:
    return calculator.ratios_report(payload.model_dump(exclude_unset=True))


@router.post("/credit-limit", response=CreditLimitOut, summary="授信额度测算", auth=requires(USE))
def credit_limit(request: HttpRequest, payload: CreditLimitIn) -> Any:
    return calculator.credit_limit_report(payload.model_dump(exclude_unset=True))
