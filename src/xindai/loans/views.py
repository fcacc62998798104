"""贷款试算 (the loan calculator): a manager works out a loan with a customer, compares the ways
of repaying it and hands over the schedule in Excel. Nothing is saved."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xindai.core.access import requires
from xindai.core.errors import FormInvalid
from xindai.customers.responses import xlsx_response
from xindai.loans.forms import CalculatorForm, initial_for, product_terms
from xindai.products import calculator, queries

USE = "loans.use_calculator"


def _form(request: HttpRequest) -> tuple[CalculatorForm, dict[str, Any]]:
    as_of = queries.pricing_date()
    products = list(queries.products())
    rates = {p.code: queries.rate_or_none(p, as_of) for p in products}
    chosen = next((p for p in products if p.code == request.GET.get("product")), None)
    bound = "principal" in request.GET
    initial = initial_for(chosen, rates.get(chosen.code) if chosen else None, as_of)
    form = CalculatorForm(request.GET if bound else None, initial=initial, products=products)
    options = {p.code: json.dumps(product_terms(p, rates[p.code])) for p in products}
    return form, {"form": form, "chosen": chosen, "product_options": options, "as_of": as_of}


@requires(USE)
def calculator_page(request: HttpRequest) -> HttpResponse:
    form, context = _form(request)
    if form.is_bound:
        form.is_valid()  # the rate as a percentage; every other check is the parser's
        try:
            trial = calculator.calculate(form.terms_data())
        except FormInvalid as exc:
            _show_errors(form, exc)
        else:
            chosen = context["chosen"]
            warnings = calculator.departures(chosen, trial.terms) if chosen else []
            context |= {"trial": trial, "warnings": warnings}
    form.mark_errors()
    return render(request, "loans/calculator.html", context)


@requires(USE)
def calculator_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)[0]
    if not (form.is_bound and form.is_valid()):
        return calculator_page(request)
    try:
        trial = calculator.calculate(form.terms_data())
    except FormInvalid:
        return calculator_page(request)
    filename = f"还款计划-{trial.terms.principal:.0f}元-{trial.terms.periods}期.xlsx"
    return xlsx_response(calculator.workbook(trial), filename)


def _show_errors(form: CalculatorForm, exc: FormInvalid) -> None:
    for field, messages in exc.details.items():
        if field in form.errors:
            continue  # the rate the form could not read: its own message says why
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
